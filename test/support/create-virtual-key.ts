/** A virtual key created through the admin API: its id and its secret (shown once). */
export interface CreatedKey {
  id: string;
  secret: string;
}

/** Creates a virtual key with `POST /admin/keys` on a running gateway; throws when the gateway refuses it. */
export async function createVirtualKey(gatewayUrl: string, adminKey: string, spec: Record<string, unknown>): Promise<CreatedKey> {
  const response = await fetch(`${gatewayUrl}/admin/keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(spec),
  });
  if (response.status !== 201) throw new Error(`key not created: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { data: { id: string }; secret: string };
  return { id: body.data.id, secret: body.secret };
}
