// Calendar days of a service term, in the Directus server's time zone (TZ), the one Directus
// itself reads and writes date fields in: a term paid until the 10th is overdue from the 11th.
// Days travel as YYYY-MM-DD; the database gets them the way Directus writes a date field (a Date
// at local midnight, which SQLite stores as milliseconds and PostgreSQL as a date).

const pad = (n: number) => String(n).padStart(2, '0');

/** YYYY-MM-DD of a moment, in the server's time zone. */
export function localDay(at: Date = new Date()): string {
	return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
}

export function addDays(day: string, days: number): string {
	const [year, month, date] = day.split('-').map(Number) as [number, number, number];
	return localDay(new Date(year, month - 1, date + days));
}

/** A day as a value to compare a date column with, in the form Directus stores it. */
export function dayValue(day: string): Date {
	const [year, month, date] = day.split('-').map(Number) as [number, number, number];
	return new Date(year, month - 1, date);
}

/** A date column as the driver returns it: milliseconds (SQLite), a Date (PostgreSQL) or text. */
export function dayOf(value: unknown): string | null {
	if (value === null || value === undefined || value === '') return null;
	if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : localDay(value);
	if (typeof value === 'number' || /^\d+$/.test(String(value))) return localDay(new Date(Number(value)));
	const text = String(value);
	return /^\d{4}-\d{2}-\d{2}/.test(text) ? text.slice(0, 10) : null;
}
