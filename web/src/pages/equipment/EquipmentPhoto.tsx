import { useEffect, useState } from 'react';
import { blob } from '../../api/client';
import { equipmentPath } from '../../api/equipment';
import type { Equipment } from '../../api/types';
import { Icon } from '../../ui/icons';

/**
 * An item's photo, fetched with the login (an `<img>` cannot send it), or
 * its kind's drawing when it has none. `large` on the item's own page.
 */
export function EquipmentPhoto({ item, large = false }: { item: Equipment; large?: boolean }) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!item.photo) {
      setUrl(null);
      return;
    }
    let made: string | null = null;
    let live = true;
    // The photo's address stays; `updated_at` names its version.
    blob(`${equipmentPath(item.id, '/photo')}?v=${encodeURIComponent(item.updated_at)}`)
      .then((data) => {
        if (!live) return;
        made = URL.createObjectURL(data);
        setUrl(made);
      })
      .catch(() => live && setUrl(null));
    return () => {
      live = false;
      if (made) URL.revokeObjectURL(made);
    };
  }, [item.id, item.photo, item.updated_at]);

  const className = large ? 'equipment-photo large' : 'equipment-photo';
  if (url) return <img className={className} src={url} alt="" />;
  return (
    <span className={className} aria-hidden="true">
      <Icon name={item.kind} />
    </span>
  );
}
