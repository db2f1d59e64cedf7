import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';

const anyValueSchema = z.object({
  stringValue: z.string().optional(),
  boolValue: z.boolean().optional(),
  intValue: z.union([z.string(), z.number()]).optional(),
  doubleValue: z.number().optional(),
  arrayValue: z.object({ values: z.array(z.object({ stringValue: z.string().optional() })).optional() }).optional(),
});

const keyValueSchema = z.object({ key: z.string(), value: anyValueSchema });

const spanSchema = z.object({
  traceId: z.string(),
  spanId: z.string(),
  parentSpanId: z.string().optional(),
  name: z.string(),
  kind: z.number(),
  startTimeUnixNano: z.union([z.string(), z.number()]),
  endTimeUnixNano: z.union([z.string(), z.number()]),
  attributes: z.array(keyValueSchema).default([]),
  status: z.object({ code: z.number().optional(), message: z.string().optional() }).optional(),
});

const exportRequestSchema = z.object({
  resourceSpans: z.array(
    z.object({
      resource: z.object({ attributes: z.array(keyValueSchema).default([]) }),
      scopeSpans: z.array(z.object({ spans: z.array(spanSchema).default([]) })),
    }),
  ),
});

export type OtlpKeyValue = z.infer<typeof keyValueSchema>;
export type OtlpSpan = z.infer<typeof spanSchema>;
export type OtlpExportRequest = z.infer<typeof exportRequestSchema>;

/** A local OTLP/HTTP JSON receiver for tests: collects every `/v1/traces` export request (test support). */
export interface OtlpTestReceiver {
  endpoint: string;
  requests: OtlpExportRequest[];
  contentTypes: string[];
  spans(): OtlpSpan[];
  close(): Promise<void>;
}

/** Starts the receiver on an ephemeral port on 127.0.0.1. */
export async function startOtlpTestReceiver(): Promise<OtlpTestReceiver> {
  const requests: OtlpExportRequest[] = [];
  const contentTypes: string[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.method === 'POST' && request.url === '/v1/traces') {
        contentTypes.push(request.headers['content-type'] ?? '');
        requests.push(exportRequestSchema.parse(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      } else {
        response.writeHead(404).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    contentTypes,
    spans: () => requests.flatMap((r) => r.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans))),
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

/** Reads an OTLP attribute as a plain value (string, number, boolean or string array). */
export function attributeValue(attributes: readonly OtlpKeyValue[], key: string): string | number | boolean | string[] | undefined {
  const value = attributes.find((a) => a.key === key)?.value;
  if (value === undefined) return undefined;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  return value.arrayValue?.values?.map((v) => v.stringValue ?? '');
}

/** Converts an OTLP nanosecond timestamp to epoch milliseconds. */
export function unixNanoToMs(value: string | number): number {
  return Number(BigInt(String(value)) / 1000n) / 1000;
}
