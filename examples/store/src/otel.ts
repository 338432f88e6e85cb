// OpenTelemetry for the store, turned on by OTEL_EXPORTER: `console` prints every span and (each
// 10 s) every metric; `otlp` sends them over OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT (default
// http://localhost:4318, the exporters' own variables apply). Registered before the Paydo plugin,
// so the server kit's spans and metrics (packages/server-kit/README.md, "Observability") go out.
import { context, metrics, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { ConsoleMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, ConsoleSpanExporter, TracerProvider } from '@opentelemetry/sdk-trace';

export type OtelExporter = 'console' | 'otlp';

/** OTEL_EXPORTER's value, or null when unset; anything else is a configuration error. */
export function otelExporterFrom(value: string | undefined): OtelExporter | null {
  if (value === undefined || value === '' || value === 'none') return null;
  if (value === 'console' || value === 'otlp') return value;
  throw new Error(`OTEL_EXPORTER must be console, otlp or none, not "${value}".`);
}

/** Registers the global providers; the returned function flushes and shuts them down. */
export function startTelemetry(exporter: OtelExporter): () => Promise<void> {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const tracerProvider = new TracerProvider({
    spanProcessors: [
      new BatchSpanProcessor({ exporter: exporter === 'otlp' ? new OTLPTraceExporter() : new ConsoleSpanExporter() }),
    ],
  });
  const meterProvider = new MeterProvider({
    readers: [
      new PeriodicExportingMetricReader({
        exporter: exporter === 'otlp' ? new OTLPMetricExporter() : new ConsoleMetricExporter(),
        exportIntervalMillis: exporter === 'otlp' ? 60_000 : 10_000,
      }),
    ],
  });
  trace.setGlobalTracerProvider(tracerProvider);
  metrics.setGlobalMeterProvider(meterProvider);
  return async () => {
    await Promise.allSettled([tracerProvider.shutdown(), meterProvider.shutdown()]);
  };
}
