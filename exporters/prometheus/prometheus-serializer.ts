import { DataPointType, type MetricData, type ResourceMetrics, type ScopeMetrics } from '@opentelemetry/sdk-metrics';
import type { Attributes } from '@opentelemetry/api';
import { prometheusMetricName, sanitizeName } from './prometheus-names';

/**
 * Prometheus text exposition (format 0.0.4) for a ResourceMetrics, with the same names and labels
 * as the upstream OpenTelemetry exporter (dots become underscores, monotonic sums get `_total`,
 * `otel_scope_name`/`otel_scope_version` labels, a `target_info` series for the resource), so
 * dashboards work with either. Differences: a gauge named like a histogram's or counter's series
 * (`db_client_connection_count`) gets `_current` (prometheus-names.ts); metrics of the same name
 * from different scopes share one HELP/TYPE block (the upstream exporter repeats it, which promtool rejects), and rendered label
 * sets are cached per attributes object, because the SDK and pulseguard's hot registry hand the same
 * object to every collection: a scrape of 10,000 unchanged series re-renders no labels.
 */

function escapeHelp(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function escapeLabelValue(v: unknown): string {
  const s = typeof v === 'string' ? v : v === undefined ? '' : JSON.stringify(v);
  return s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function formatValue(v: number): string {
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

/** Prometheus name and type of a metric (names: prometheus-names.ts). */
export function prometheusNameOf(m: MetricData): { name: string; type: 'counter' | 'gauge' | 'histogram' | 'untyped' } {
  const counter = m.dataPointType === DataPointType.SUM && m.isMonotonic;
  const type = counter ? 'counter' : m.dataPointType === DataPointType.SUM || m.dataPointType === DataPointType.GAUGE ? 'gauge'
    : m.dataPointType === DataPointType.HISTOGRAM ? 'histogram' : 'untyped';
  return { name: type === 'untyped' ? sanitizeName(m.descriptor.name) : prometheusMetricName(m.descriptor.name, type), type };
}

/** Serializer with a label cache; keep one instance per endpoint. */
export class PrometheusSerializer {
  // attributes object -> rendered `k="v",k2="v2"` (no braces). WeakMap: series that disappear are collected.
  private labelCache = new WeakMap<Attributes, string>();
  private scopeCache = new Map<string, string>();

  private labels(attrs: Attributes): string {
    let s = this.labelCache.get(attrs);
    if (s === undefined) {
      s = '';
      for (const k in attrs) s += `${s ? ',' : ''}${sanitizeName(k)}="${escapeLabelValue(attrs[k])}"`;
      this.labelCache.set(attrs, s);
    }
    return s;
  }

  private scopeLabels(scope: ScopeMetrics['scope']): string {
    const key = `${scope.name}\u0000${scope.version ?? ''}`;
    let s = this.scopeCache.get(key);
    if (s === undefined) {
      s = `otel_scope_name="${escapeLabelValue(scope.name)}"${scope.version ? `,otel_scope_version="${escapeLabelValue(scope.version)}"` : ''}`;
      this.scopeCache.set(key, s);
    }
    return s;
  }

  /** Renders the whole exposition. Calls `onOverflow(name)` for metrics that hit their cardinality limit. */
  serialize(rm: ResourceMetrics, onOverflow?: (metricName: string) => void): string {
    const blocks = new Map<string, { head: string; body: string }>();
    for (const sm of rm.scopeMetrics) {
      const scope = this.scopeLabels(sm.scope);
      for (const m of sm.metrics) {
        if (m.dataPoints.length === 0) continue;
        const { name, type } = prometheusNameOf(m);
        if (!name || name === '_') continue;
        let block = blocks.get(name);
        if (!block) {
          const unit = m.descriptor.unit ? `# UNIT ${name} ${escapeHelp(m.descriptor.unit)}\n` : '';
          block = { head: `# HELP ${name} ${escapeHelp(m.descriptor.description || 'description missing')}\n${unit}# TYPE ${name} ${type}\n`, body: '' };
          blocks.set(name, block);
        }
        block.body += this.points(name, m, scope, onOverflow);
      }
    }
    let out = `# HELP target_info Target metadata\n# TYPE target_info gauge\ntarget_info{${this.labels(rm.resource.attributes)}} 1\n`;
    for (const b of blocks.values()) out += b.head + b.body;
    return out;
  }

  private points(name: string, m: MetricData, scope: string, onOverflow?: (n: string) => void): string {
    let out = '';
    if (m.dataPointType === DataPointType.HISTOGRAM) {
      for (const p of m.dataPoints) {
        const l = this.labels(p.attributes);
        if (onOverflow && p.attributes['otel.metric.overflow'] === true) onOverflow(m.descriptor.name);
        const base = l ? `${l},${scope}` : scope;
        const h = p.value;
        out += `${name}_count{${base}} ${formatValue(h.count)}\n`;
        if (h.sum !== undefined) out += `${name}_sum{${base}} ${formatValue(h.sum)}\n`;
        let cum = 0;
        const { boundaries, counts } = h.buckets;
        for (let i = 0; i < counts.length; i++) {
          cum += counts[i];
          const le = i < boundaries.length && boundaries[i] !== Infinity ? String(boundaries[i]) : '+Inf';
          out += `${name}_bucket{${base},le="${le}"} ${formatValue(cum)}\n`;
          if (le === '+Inf') break;
        }
      }
    } else if (m.dataPointType === DataPointType.SUM || m.dataPointType === DataPointType.GAUGE) {
      for (const p of m.dataPoints) {
        const l = this.labels(p.attributes);
        if (onOverflow && p.attributes['otel.metric.overflow'] === true) onOverflow(m.descriptor.name);
        out += `${name}{${l ? `${l},${scope}` : scope}} ${formatValue(p.value)}\n`;
      }
    }
    return out;
  }
}
