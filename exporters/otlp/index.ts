export { RedactingSpanExporter } from './redacting-span-exporter';
