import { readFile } from 'node:fs/promises';

export interface RssSampler {
  /** Stops sampling; the peak resident set of each process seen, in MB, by name. */
  stop(): Promise<Record<string, number>>;
}

/** Reads each process's VmRSS from /proc every `intervalMs` until stopped. */
export function sampleRss(processes: Record<string, number>, intervalMs = 500): RssSampler {
  const peaks: Record<string, number> = Object.fromEntries(Object.keys(processes).map((name) => [name, 0]));
  const sampleAll = () =>
    Promise.all(
      Object.entries(processes).map(async ([name, pid]) => {
        const megabytes = await rssMegabytes(pid);
        peaks[name] = Math.max(peaks[name] ?? 0, megabytes);
      }),
    );
  let sampling = sampleAll();
  const timer = setInterval(() => {
    sampling = sampling.then(sampleAll);
  }, intervalMs);
  return {
    async stop() {
      clearInterval(timer);
      await sampling;
      return peaks;
    },
  };
}

async function rssMegabytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kilobytes = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0);
  return kilobytes / 1024;
}
