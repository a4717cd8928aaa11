// Line icons for the tab bar, drawn here: emoji fonts are missing on some
// devices, and an icon font would be a download of its own.
const PATHS = {
  home: 'M3 11l9-7 9 7v9a1 1 0 0 1-1 1h-5v-6h-6v6H4a1 1 0 0 1-1-1z',
  log: 'M12 5v14M5 12h14',
  upload: 'M12 16V4M6 10l6-6 6 6M4 20h16',
  stats: 'M5 20V11M12 20V4M19 20v-6',
  bell: 'M6 16V11a6 6 0 0 1 12 0v5l2 2H4zM10 21h4',
  records: 'M8 4h8v5a4 4 0 0 1-8 0zM8 6H5a3 3 0 0 0 3 4M16 6h3a3 3 0 0 1-3 4M12 13v4M8 20h8M10 17h4v3h-4z',
  offers: 'M3 12V4h8l10 10-7 7zM7.5 8.5h.01',
  search: 'M11 18a7 7 0 1 0 0-14 7 7 0 0 0 0 14zM21 21l-5-5',
  kudos: 'M7 10v11H3V10zM7 10l4-7a2 2 0 0 1 3 2l-1 5h6a2 2 0 0 1 2 2.3l-1.4 7A2 2 0 0 1 17.6 21H7',
  comment: 'M4 5h16v11H9l-5 4z',
  more: 'M4 12a1.5 1.5 0 1 0 3 0a1.5 1.5 0 1 0-3 0M10.5 12a1.5 1.5 0 1 0 3 0a1.5 1.5 0 1 0-3 0M17 12a1.5 1.5 0 1 0 3 0a1.5 1.5 0 1 0-3 0',
  shield: 'M12 3l8 3v6c0 5-3.5 8-8 9-4.5-1-8-4-8-9V6zM9 12l2 2 4-4',
  flag: 'M5 21V4M5 4h13l-3 4.5 3 4.5H5',
  // Training partners and chat.
  chat: 'M3 4h13v9H8l-5 4zM8 13v3h8l5 4V8h-5',
  partners:
    'M9 11a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7zM2.5 20a6.5 6.5 0 0 1 13 0M16 4.3a3.5 3.5 0 0 1 0 6.4M18 14.5a6.5 6.5 0 0 1 3.5 5.5',
  yes: 'M5 12.5l4.5 4.5L19 7.5',
  no: 'M6 6l12 12M18 6L6 18',
  undo: 'M9 14L4 9l5-5M4 9h10.5a5.5 5.5 0 0 1 0 11H11',
  send: 'M4 12l16-8-5.5 16-3-6.5zM11.5 13.5L20 4',
  // The sync's state in the top bar.
  sync: 'M20 11a8 8 0 0 0-14.9-3.5M4 4v3.5h3.5M4 13a8 8 0 0 0 14.9 3.5M20 20v-3.5h-3.5',
  clock: 'M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18zM12 7v5l3 2',
  alert: 'M12 3.5l9.5 16.5h-19zM12 10v4.5M12 17.5h.01',
  offline:
    'M2.5 8.5a14 14 0 0 1 6-3.2M13 5a14 14 0 0 1 8.5 3.5M5.5 12a9.5 9.5 0 0 1 4-2.2M15.5 10.5a9.5 9.5 0 0 1 3 1.5M9 15.5a5 5 0 0 1 6 0M12 19h.01M3 3l18 18',
  // Kinds of equipment (the equipment tab shows the shoes).
  shoes:
    'M3 17V8.5l4 1 2.5 2.5 3-1 3.5 2.6 4.3 1.2A2.4 2.4 0 0 1 22 17zM3 17v2h19v-2M9 12l1.5-1.5M12 12.2l1.3-1.4',
  bike: 'M2 17a3.5 3.5 0 1 0 7 0a3.5 3.5 0 1 0-7 0M15 17a3.5 3.5 0 1 0 7 0a3.5 3.5 0 1 0-7 0M5.5 17L9 9h7l2.5 8M9 9l3.5 8L16 9M7.5 6H11M15 9l-1-3h2.5',
  skis: 'M3 19L17 5a2 2 0 0 1 3 1M7 21L21 7a2 2 0 0 1 1 2M6 13l3 3M10 9l3 3',
  board: 'M5 19c-2-2-.5-8 4.5-12.5S19 2 20.5 3.5 20 10 15.5 14.5 7 21 5 19zM8 16l8-8',
  wetsuit: 'M8 3h8l2 5-2 13h-3l-1-8-1 8H8L6 8zM10 3l2 3 2-3',
  watch: 'M9 2h6l1 4M8 6l1-4M8 18l1 4h6l1-4M6 12a6 6 0 1 0 12 0a6 6 0 1 0-12 0M12 9v3l2 2',
  other: 'M4 8h16v12H4zM9 8V5h6v3M4 13h16M11 13v2h2v-2',
  settings:
    'M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM19.4 13a7.5 7.5 0 0 0 0-2l2-1.6-2-3.4-2.4 1a7.4 7.4 0 0 0-1.7-1L15 3.5h-4l-.3 2.5a7.4 7.4 0 0 0-1.7 1l-2.4-1-2 3.4 2 1.6a7.5 7.5 0 0 0 0 2l-2 1.6 2 3.4 2.4-1a7.4 7.4 0 0 0 1.7 1l.3 2.5h4l.3-2.5a7.4 7.4 0 0 0 1.7-1l2.4 1 2-3.4z',
};

export type IconName = keyof typeof PATHS;

export function Icon({ name }: { name: IconName }) {
  return (
    <svg
      className="icon"
      viewBox="0 0 24 24"
      width="22"
      height="22"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
    >
      <path d={PATHS[name]} />
    </svg>
  );
}
