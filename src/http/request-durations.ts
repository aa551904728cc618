/**
 * `http_request_duration_seconds`, the histogram both servers feed on every request. prom-client's Histogram costs
 * ≈ 5 µs per observation in a server (it builds a label-hash string and uses it, then the bucket bound, as property
 * names: string interning and number-to-string work on every call), a few percent of a cached-token `GET /api/user`.
 * Here each server keeps its series in nested maps keyed by values it already holds (method and route strings, the
 * status number), so an observation is three map reads and a few additions. The registry renders it like a
 * prom-client Histogram with the same observations: same series order, same lines (test/http/request-durations.test.ts).
 */

export const DURATION_BUCKETS: readonly number[] = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

type LabelName = 'server' | 'method' | 'route' | 'status_code';

interface Series {
  readonly labels: Readonly<Record<LabelName, string>>;
  /** Observations per bucket (not cumulative); one above the last bound counts only in `count`, as in prom-client. */
  readonly buckets: number[];
  sum: number;
  count: number;
}

interface ExportedValue {
  labels: Record<string, string | number>;
  sharedLabels: Readonly<Record<LabelName, string>>;
  value: number;
  metricName: string;
}

/** (method, route, status) → series, for one server. */
type SeriesIndex = Map<string, Map<string, Map<number, Series>>>;

export class RequestDurations {
  // What prom-client's Registry reads from a metric: name, help, type, aggregator, get/getForPromString, reset.
  readonly name = 'http_request_duration_seconds';
  readonly help = 'HTTP request duration by server, method, route template and status';
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  /** Every series in creation order: the order the registry prints them in, like prom-client's insertion order. */
  private all: Series[] = [];
  private readonly indexes: SeriesIndex[] = [];

  /** The observation function of one server (`rest`, `webadmin`): method, route template, status, seconds. */
  observerFor(server: string): (method: string, route: string, status: number, seconds: number) => void {
    const index: SeriesIndex = new Map();
    this.indexes.push(index);
    return (method, route, status, seconds) => {
      let byRoute = index.get(method);
      if (!byRoute) index.set(method, (byRoute = new Map()));
      let byStatus = byRoute.get(route);
      if (!byStatus) byRoute.set(route, (byStatus = new Map()));
      let series = byStatus.get(status);
      if (!series) {
        series = { labels: { server, method, route, status_code: String(status) }, buckets: DURATION_BUCKETS.map(() => 0), sum: 0, count: 0 };
        byStatus.set(status, series);
        this.all.push(series);
      }
      let bucket = 0;
      while (bucket < DURATION_BUCKETS.length && seconds > DURATION_BUCKETS[bucket]!) bucket++;
      if (bucket < DURATION_BUCKETS.length) series.buckets[bucket]! += 1;
      series.sum += seconds;
      series.count += 1;
    };
  }

  /** The values as prom-client's Histogram gives them to the registry: buckets (cumulative), +Inf, sum, count. */
  async getForPromString(): Promise<{ name: string; help: string; type: string; aggregator: string; values: ExportedValue[] }> {
    const values: ExportedValue[] = [];
    const bucketName = `${this.name}_bucket`;
    for (const s of this.all) {
      let cumulative = 0;
      DURATION_BUCKETS.forEach((le, i) => {
        cumulative += s.buckets[i]!;
        values.push({ labels: { le }, sharedLabels: s.labels, value: cumulative, metricName: bucketName });
      });
      values.push({ labels: { le: '+Inf' }, sharedLabels: s.labels, value: s.count, metricName: bucketName });
      values.push({ labels: {}, sharedLabels: s.labels, value: s.sum, metricName: `${this.name}_sum` });
      values.push({ labels: {}, sharedLabels: s.labels, value: s.count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  /** For `registry.getMetricsAsJSON()`: the series labels merged after each value's own, as prom-client does. */
  async get(): Promise<{ name: string; help: string; type: string; aggregator: string; values: Array<{ labels: Record<string, string | number>; value: number; metricName: string }> }> {
    const metric = await this.getForPromString();
    return { ...metric, values: metric.values.map((v) => ({ labels: { ...v.labels, ...v.sharedLabels }, value: v.value, metricName: v.metricName })) };
  }

  reset(): void {
    this.all = [];
    for (const index of this.indexes) index.clear();
  }
}
