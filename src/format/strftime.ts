// strftime(fmt, nsecs) and time(fmt) text, as bpftrace 0.17 prints them: nsecs is the
// kernel's monotonic clock (nsecs, bpf_ktime_get_ns), turned into wall-clock time with the
// offset between the two clocks, then formatted as glibc's strftime(3) does in the C
// locale and the local time zone, plus bpftrace's `%f` (microseconds, 6 digits).
// A conversion glibc does not know is printed as written (`%Q` stays `%Q`).

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

let offsetNs: bigint | undefined;

/**
 * Wall-clock nanoseconds minus monotonic nanoseconds, measured once: process.hrtime reads
 * CLOCK_MONOTONIC, the clock bpf_ktime_get_ns reads in the kernel.
 */
function monotonicToWall(): bigint {
  if (offsetNs === undefined) {
    const wall = BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000)) * 1000n;
    offsetNs = wall - process.hrtime.bigint();
  }
  return offsetNs;
}

/** Wall-clock nanoseconds since the epoch now. */
export function wallClockNow(): bigint {
  return process.hrtime.bigint() + monotonicToWall();
}

/** The text of strftime(format, nsecs) with nsecs of the monotonic clock. */
export function formatMonotonic(format: string, nsecs: bigint): string {
  return formatWallClock(format, nsecs + monotonicToWall());
}

const pad = (n: number, width: number, fill = '0') => String(n).padStart(width, fill);

/** glibc's strftime in the C locale, local time, with `%f` for microseconds. */
export function formatWallClock(format: string, epochNs: bigint): string {
  const ms = Number(epochNs / 1_000_000n);
  const micros = Number((epochNs / 1000n) % 1_000_000n);
  const d = new Date(ms);
  const year = d.getFullYear();
  const month = d.getMonth();
  const day = d.getDate();
  const hour = d.getHours();
  const weekday = d.getDay();
  const startOfYear = new Date(year, 0, 1);
  const yday = Math.round((new Date(year, month, day).getTime() - startOfYear.getTime()) / 86_400_000);
  const hour12 = hour % 12 === 0 ? 12 : hour % 12;
  const iso = isoWeek(year, month, day, weekday);
  const offsetMinutes = -d.getTimezoneOffset();
  const conversions: Record<string, () => string> = {
    a: () => DAYS[weekday].slice(0, 3),
    A: () => DAYS[weekday],
    b: () => MONTHS[month].slice(0, 3),
    h: () => MONTHS[month].slice(0, 3),
    B: () => MONTHS[month],
    c: () => `${DAYS[weekday].slice(0, 3)} ${MONTHS[month].slice(0, 3)} ${pad(day, 2, ' ')} ${pad(hour, 2)}:${pad(d.getMinutes(), 2)}:${pad(d.getSeconds(), 2)} ${year}`,
    C: () => pad(Math.floor(year / 100), 2),
    d: () => pad(day, 2),
    D: () => `${pad(month + 1, 2)}/${pad(day, 2)}/${pad(year % 100, 2)}`,
    e: () => pad(day, 2, ' '),
    f: () => pad(micros, 6),
    F: () => `${year}-${pad(month + 1, 2)}-${pad(day, 2)}`,
    g: () => pad(iso.year % 100, 2),
    G: () => String(iso.year),
    H: () => pad(hour, 2),
    I: () => pad(hour12, 2),
    j: () => pad(yday + 1, 3),
    k: () => pad(hour, 2, ' '),
    l: () => pad(hour12, 2, ' '),
    m: () => pad(month + 1, 2),
    M: () => pad(d.getMinutes(), 2),
    n: () => '\n',
    p: () => (hour < 12 ? 'AM' : 'PM'),
    P: () => (hour < 12 ? 'am' : 'pm'),
    r: () => `${pad(hour12, 2)}:${pad(d.getMinutes(), 2)}:${pad(d.getSeconds(), 2)} ${hour < 12 ? 'AM' : 'PM'}`,
    R: () => `${pad(hour, 2)}:${pad(d.getMinutes(), 2)}`,
    s: () => String(Math.floor(ms / 1000)),
    S: () => pad(d.getSeconds(), 2),
    t: () => '\t',
    T: () => `${pad(hour, 2)}:${pad(d.getMinutes(), 2)}:${pad(d.getSeconds(), 2)}`,
    u: () => String(weekday === 0 ? 7 : weekday),
    U: () => pad(Math.floor((yday + 7 - weekday) / 7), 2),
    V: () => pad(iso.week, 2),
    w: () => String(weekday),
    W: () => pad(Math.floor((yday + 7 - ((weekday + 6) % 7)) / 7), 2),
    x: () => `${pad(month + 1, 2)}/${pad(day, 2)}/${pad(year % 100, 2)}`,
    X: () => `${pad(hour, 2)}:${pad(d.getMinutes(), 2)}:${pad(d.getSeconds(), 2)}`,
    y: () => pad(year % 100, 2),
    Y: () => String(year),
    z: () => `${offsetMinutes < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(offsetMinutes) / 60), 2)}${pad(Math.abs(offsetMinutes) % 60, 2)}`,
    Z: () => zoneName(d),
    '%': () => '%',
  };
  let out = '';
  for (let i = 0; i < format.length; i++) {
    const c = format[i];
    const next = format[i + 1];
    if (c === '%' && next !== undefined && conversions[next]) {
      out += conversions[next]();
      i++;
    } else out += c;
  }
  return out;
}

/** ISO 8601 week number and its year (%V, %G): weeks start on Monday; a week belongs to the year of its Thursday. */
function isoWeek(year: number, month: number, day: number, weekday: number): { year: number; week: number } {
  const thursday = new Date(Date.UTC(year, month, day + 3 - ((weekday + 6) % 7)));
  const isoYear = thursday.getUTCFullYear();
  const yday = Math.round((thursday.getTime() - Date.UTC(isoYear, 0, 1)) / 86_400_000);
  return { year: isoYear, week: Math.floor(yday / 7) + 1 };
}

/** The zone's abbreviation (UTC, CET), as %Z prints it. */
function zoneName(d: Date): string {
  const part = new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' }).formatToParts(d).find((p) => p.type === 'timeZoneName');
  return part?.value === 'GMT' && d.getTimezoneOffset() === 0 ? 'UTC' : (part?.value ?? '');
}
