import { Link } from 'wouter';
import { useT } from '../i18n';

export function NotFound() {
  const t = useT();
  return (
    <>
      <h1>{t('notFound.title')}</h1>
      <p>{t('notFound.text')}</p>
      <Link href="/">{t('nav.home')}</Link>
    </>
  );
}
