import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { saveAboutMe, useAboutMe } from '../../api/people';
import { useAccount, useSports } from '../../api/queries';
import type { AboutMe } from '../../api/types';
import { useI18n } from '../../i18n';
import { ChipChoice } from '../../ui/ChipChoice';
import { describe, Field, FormError, Loading } from '../../ui/forms';
import { useSubmit } from '../../ui/useSubmit';
import { useSportName } from '../workouts/sportName';
import { HomeArea } from './HomeArea';

const MAX_BIO = 500;

/** `/settings/profile`: what others see of the person beside name and picture. */
export default function PublicProfile() {
  const { t, language } = useI18n();
  const about = useAboutMe();
  const me = useAccount().data?.id;
  return (
    <>
      <div className="heading-row">
        <h1>{t('about.title')}</h1>
        {me && <Link href={`/people/${me}`}>{t('about.see')}</Link>}
      </div>
      {about.isPending && <Loading />}
      {about.error && <div className="alert">{describe(about.error, t, language === 'en')}</div>}
      {about.data && <AboutForm about={about.data} />}
    </>
  );
}

function AboutForm({ about }: { about: AboutMe }) {
  const { t, plural } = useI18n();
  const queries = useQueryClient();
  const sports = useSports().data ?? [];
  const sportName = useSportName();
  const [bio, setBio] = useState(about.bio ?? '');
  const [chosen, setChosen] = useState<string[]>(about.sports ?? []);
  const [area, setArea] = useState<string | null>(about.home_area ?? null);
  const [closed, setClosed] = useState(about.private ?? false);
  const [saved, setSaved] = useState(false);
  const form = useSubmit(['bio', 'sports', 'home_area'], async () => {
    setSaved(false);
    await saveAboutMe(queries, { bio: bio.trim(), sports: chosen, home_area: area, private: closed });
    setSaved(true);
  });
  return (
    <form className="card" onSubmit={form.onSubmit} noValidate>
      <FormError message={form.formError} />
      <Field
        label={t('about.bio')}
        hint={plural('about.bioLeft', MAX_BIO - bio.length)}
        error={form.fieldError('bio')}
      >
        {(props) => (
          <textarea {...props} maxLength={MAX_BIO} value={bio} onChange={(e) => setBio(e.target.value)} />
        )}
      </Field>
      <ChipChoice
        legend={t('about.sports')}
        options={sports.map((sport) => ({ value: sport.id, label: `${sport.icon} ${sportName(sport.id)}` }))}
        chosen={chosen}
        onChange={setChosen}
        error={form.fieldError('sports')}
      />
      <HomeArea value={area} onChange={setArea} />
      <label className="check">
        <input type="checkbox" checked={closed} onChange={(e) => setClosed(e.target.checked)} />
        {t('about.private')}
      </label>
      <p className="small muted">{closed ? t('about.privateHint') : t('about.publicHint')}</p>
      <div className="actions">
        <button type="submit" disabled={form.pending}>
          {t('common.save')}
        </button>
        {saved && <span role="status">{t('common.saved')}</span>}
      </div>
    </form>
  );
}
