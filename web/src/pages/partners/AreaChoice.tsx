import { useId, useState } from 'react';
import { Link } from 'wouter';
import { useI18n } from '../../i18n';
import { cellCentre, geohash } from '../../lib/geohash';

/** Five characters: a cell of about 5 km, all the finder keeps of where someone is. */
const AREA_PRECISION = 5;

export type AreaSource = 'profile' | 'here';

interface Props {
  source: AreaSource;
  onSource: (source: AreaSource) => void;
  /** The profile's home area, if it has one. */
  profileArea: string | null;
  /** The cell of this device's position, once taken. */
  here: string | null;
  onHere: (cell: string) => void;
  error?: string;
}

/** Where the person trains from: the profile's home area, or the device's position cut to a 5 km cell here. */
export function AreaChoice({ source, onSource, profileArea, here, onHere, error }: Props) {
  const { t, locale } = useI18n();
  const id = useId();
  const [state, setState] = useState<'idle' | 'locating' | 'refused' | 'unavailable'>('idle');
  const where = (cell: string) => {
    const centre = cellCentre(cell);
    const degrees = (n: number) =>
      new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(Math.abs(n));
    return t('about.homeAreaSet', {
      latitude: `${degrees(centre.latitude)}° ${centre.latitude >= 0 ? t('about.north') : t('about.south')}`,
      longitude: `${degrees(centre.longitude)}° ${centre.longitude >= 0 ? t('about.east') : t('about.west')}`,
    });
  };
  const locate = () => {
    onSource('here');
    if (!('geolocation' in navigator)) {
      setState('unavailable');
      return;
    }
    setState('locating');
    navigator.geolocation.getCurrentPosition(
      (position) => {
        setState('idle');
        // Cut here: the exact position never leaves the device.
        onHere(geohash(position.coords.latitude, position.coords.longitude, AREA_PRECISION));
      },
      (failure) => setState(failure.code === failure.PERMISSION_DENIED ? 'refused' : 'unavailable'),
      { enableHighAccuracy: false, maximumAge: 10 * 60 * 1000, timeout: 20_000 },
    );
  };
  return (
    <fieldset className="field area-choice" aria-describedby={`${id}-hint`} data-testid="area-choice">
      <legend>{t('partners.area')}</legend>
      <label className="check">
        <input
          type="radio"
          name={`${id}-source`}
          checked={source === 'profile'}
          onChange={() => onSource('profile')}
        />
        <span>
          {t('partners.areaProfile')}
          <span className="small muted block">
            {profileArea ? where(profileArea) : t('partners.areaProfileNone')}{' '}
            <Link href="/settings/profile">{t('partners.areaProfileEdit')}</Link>
          </span>
        </span>
      </label>
      <label className="check">
        <input
          type="radio"
          name={`${id}-source`}
          checked={source === 'here'}
          onChange={() => onSource('here')}
        />
        <span>
          {t('partners.areaHere')}
          <span className="small muted block" data-testid="area-here">
            {here ? where(here) : t('partners.areaHereNone')}
          </span>
        </span>
      </label>
      <div className="actions">
        <button type="button" className="secondary" disabled={state === 'locating'} onClick={locate}>
          {state === 'locating' ? t('about.locating') : t('about.useLocation')}
        </button>
      </div>
      <span className="hint" id={`${id}-hint`}>
        {t('partners.areaHint')}
      </span>
      {(state === 'refused' || state === 'unavailable') && (
        <span className="error" role="alert">
          {state === 'refused' ? t('about.locationRefused') : t('about.locationUnavailable')}
        </span>
      )}
      {error && (
        <span className="error" role="alert">
          {error}
        </span>
      )}
    </fieldset>
  );
}
