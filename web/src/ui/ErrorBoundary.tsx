import { Component, type ReactNode } from 'react';
import { Link } from 'wouter';
import { useT } from '../i18n';

/** What a screen that failed shows in its place: an apology and the ways back. */
function Apology() {
  const t = useT();
  return (
    <section className="card" role="alert" data-testid="screen-failed">
      <h1>{t('failed.title')}</h1>
      <p>{t('failed.text')}</p>
      <div className="actions">
        <Link href="/" className="button">
          {t('failed.home')}
        </Link>
        <button type="button" className="secondary" onClick={() => window.location.reload()}>
          {t('failed.reload')}
        </button>
      </div>
    </section>
  );
}

interface Props {
  children: ReactNode;
}

/**
 * Catches what a screen throws while it renders, so one broken screen (an
 * answer it did not expect) does not blank the whole app: the header and
 * the menu stay, and the screen says sorry (React reports the error on the
 * console). Give it a `key` that changes on navigation so the next screen
 * starts afresh.
 */
export class ErrorBoundary extends Component<Props, { failed: boolean }> {
  state = { failed: false };

  static getDerivedStateFromError() {
    return { failed: true };
  }

  render() {
    return this.state.failed ? <Apology /> : this.props.children;
  }
}
