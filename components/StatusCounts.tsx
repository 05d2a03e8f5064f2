import type { Counts } from '@/lib/scan/schema';

const ROWS: Array<[keyof Counts, string]> = [
  ['missing', 'Missing'],
  ['suspicious', 'Suspicious'],
  ['decorative', 'Decorative'],
  ['ok', 'OK'],
];

/** Counts per status, as a description list so each number is read with its name. */
export function StatusCounts({ counts }: { counts: Counts }) {
  return (
    <dl className="counts" aria-label="Images by status">
      {ROWS.map(([key, label]) => (
        <div key={key} className={`count count-${key}`}>
          <dt>{label}</dt>
          <dd>{counts[key]}</dd>
        </div>
      ))}
    </dl>
  );
}
