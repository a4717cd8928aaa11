import { useEffect, useRef } from 'react';
import { useT } from '../i18n';

interface Props {
  hasMore: boolean;
  loading: boolean;
  onMore: () => void;
  label?: string;
}

/**
 * The next page of a list: a button, pressed by itself when it scrolls into
 * view (endless scrolling), and still there for keyboards and when the
 * browser cannot tell.
 */
export function LoadMore({ hasMore, loading, onMore, label }: Props) {
  const t = useT();
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const element = button.current;
    if (!element || !hasMore || loading || !('IntersectionObserver' in window)) return;
    const watcher = new IntersectionObserver((seen) => {
      if (seen.some((entry) => entry.isIntersecting)) onMore();
    });
    watcher.observe(element);
    return () => watcher.disconnect();
  }, [hasMore, loading, onMore]);
  if (!hasMore) return null;
  return (
    <button ref={button} type="button" className="secondary load-more" onClick={onMore} disabled={loading}>
      {loading ? t('common.loading') : (label ?? t('home.more'))}
    </button>
  );
}
