// Summary statistics for latency samples.
import { readFileSync } from 'node:fs';

export function percentile(samples: number[], p: number): number {
	if (samples.length === 0) return Number.NaN;
	const sorted = [...samples].sort((a, b) => a - b);
	const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
	return sorted[rank]!;
}

export function mean(samples: number[]): number {
	return samples.reduce((sum, x) => sum + x, 0) / samples.length;
}

export const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

export async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
	const started = performance.now();
	const value = await work();
	return { ms: performance.now() - started, value };
}

/** Resident memory of a process from /proc: current and peak (high-water mark), in MB. */
export function memoryOf(pid: number): { rssMb: number; peakMb: number } {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	const field = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) / 1024;
	return { rssMb: round(field('VmRSS')), peakMb: round(field('VmHWM')) };
}

/** CPU time a process has used so far (user + system), in milliseconds, from /proc/<pid>/stat. */
export function cpuMsOf(pid: number): number {
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	// The command name is in parentheses and may contain spaces: count fields after it.
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	const ticks = Number(fields[11]) + Number(fields[12]);
	return (ticks * 1000) / 100;
}

export function median(samples: number[]): number {
	return percentile(samples, 50);
}
