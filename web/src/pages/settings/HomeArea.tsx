import { useState } from 'react';
import { useI18n } from '../../i18n';
import { cellCentre, geohash } from '../../lib/geohash';

/** The five characters of a cell of about 5 km: what the server keeps of where someone trains. */
const AREA_PRECISION = 5;

interface Props {
  value: string | null;
  onChange: (area: string | null) => void;
}

/**
 * A coarse home area: the device's position, cut in the browser to a cell
 * of about 5 km before anything is sent, or none.
 */
export function HomeArea({ value, onChange }: Props) {
  const { t, locale } = useI18n();
  const [state, setState] = useState<'idle' | 'locating' | 'refused' | 'unavailable'>('idle');
  const locate = () => {
    if (!('geolocation' in navigator)) {
      setState('unavailable');
      return;
    }
    setState('locating');
    navigator.geolocation.getCurrentPosition(
      (position) => {
        setState('idle');
        onChange(geohash(position.coords.latitude, position.coords.longitude, AREA_PRECISION));
      },
      (error) => setState(error.code === error.PERMISSION_DENIED ? 'refused' : 'unavailable'),
      // A coarse position is all that is kept: no need to wake the GPS.
      { enableHighAccuracy: false, maximumAge: 10 * 60 * 1000, timeout: 20_000 },
    );
  };
  const centre = value ? cellCentre(value) : null;
  const degrees = (n: number) =>
    new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(Math.abs(n));
  return (
    <fieldset className="field home-area">
      <legend>{t('about.homeArea')}</legend>
      <p className="small" data-testid="home-area">
        {centre
          ? t('about.homeAreaSet', {
              latitude: `${degrees(centre.latitude)}° ${centre.latitude >= 0 ? t('about.north') : t('about.south')}`,
              longitude: `${degrees(centre.longitude)}° ${centre.longitude >= 0 ? t('about.east') : t('about.west')}`,
            })
          : t('about.homeAreaNone')}
      </p>
      <div className="actions">
        <button type="button" className="secondary" disabled={state === 'locating'} onClick={locate}>
          {state === 'locating' ? t('about.locating') : t('about.useLocation')}
        </button>
        {value && (
          <button type="button" className="link" onClick={() => onChange(null)}>
            {t('about.homeAreaRemove')}
          </button>
        )}
      </div>
      <span className="hint">{t('about.homeAreaHint')}</span>
      {(state === 'refused' || state === 'unavailable') && (
        <span className="error" role="alert">
          {state === 'refused' ? t('about.locationRefused') : t('about.locationUnavailable')}
        </span>
      )}
    </fieldset>
  );
}
