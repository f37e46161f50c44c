// What the benchmark ran on and how busy the machine was meanwhile. The load
// measure that matters on a shared 2-core machine is the CPU time other
// processes took during the run: all busy CPU time (/proc/stat) minus this
// process's and its children's (/proc/self/stat), divided by the wall time.

import { readFileSync } from "node:fs";
import os from "node:os";

/**
 * Cores other processes may keep busy, on average, for a measurement to count
 * as taken on a quiet machine; a full run measures a peer again above it.
 */
export const QUIET_LOAD = 0.3;

export interface MachineInfo {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGB: number;
  readonly os: string;
  readonly node: string;
}

export function describeMachine(): MachineInfo {
  let osName = `${os.type()} ${os.release()}`;
  try {
    const pretty = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(readFileSync("/etc/os-release", "utf8"));
    if (pretty?.[1]) osName = pretty[1];
  } catch {
    // not Linux: keep os.type()
  }
  return {
    cpu: os.cpus()[0]?.model.trim() ?? "unknown",
    cores: os.cpus().length,
    memoryGB: Math.round(os.totalmem() / 2 ** 30),
    os: osName,
    node: process.version,
  };
}

/** CPU seconds: the whole machine busy, and this process with its finished children. */
export interface CpuSnapshot {
  readonly time: number;
  readonly machineBusy: number;
  readonly ours: number;
}

const TICKS_PER_SECOND = 100;

export function cpuSnapshot(): CpuSnapshot | undefined {
  try {
    const cpu = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal: busy = all but idle and iowait
    const busy = cpu.slice(0, 8).reduce((s, v, i) => (i === 3 || i === 4 ? s : s + v), 0);
    const self = readFileSync("/proc/self/stat", "utf8");
    const fields = self.slice(self.lastIndexOf(")") + 2).split(" ").map(Number);
    // after the command name: utime is field 14 of stat, i.e. index 11 here; stime, cutime, cstime follow
    const ours = fields[11]! + fields[12]! + fields[13]! + fields[14]!;
    return { time: performance.now() / 1000, machineBusy: busy / TICKS_PER_SECOND, ours: ours / TICKS_PER_SECOND };
  } catch {
    return undefined;
  }
}

/** Average number of cores other processes kept busy between two snapshots. */
export function otherLoad(a: CpuSnapshot | undefined, b: CpuSnapshot | undefined): number | undefined {
  if (!a || !b || b.time <= a.time) return undefined;
  return Math.max(0, (b.machineBusy - a.machineBusy - (b.ours - a.ours)) / (b.time - a.time));
}
