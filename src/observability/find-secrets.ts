/**
 * Returns a description of every occurrence of a secret marker in the given lines (e.g. captured log output), as
 * `line <n>: <redacted marker>`; an empty array means no secret leaked. A marker also matches in its JSON-escaped form
 * (log lines are JSON). The marker itself is never echoed in full, so a failing test does not print the secret it caught.
 */
export function findSecretMarkers(lines: readonly string[], markers: readonly string[]): string[] {
  const needles = markers.filter((marker) => marker.length > 0);
  const findings: string[] = [];
  lines.forEach((line, index) => {
    for (const marker of needles) {
      if (line.includes(marker) || line.includes(jsonEscaped(marker))) findings.push(`line ${index + 1}: ${redactMarker(marker)}`);
    }
  });
  return findings;
}

/** Shows enough of a marker to identify it (its first four characters and its length) without revealing it. */
function redactMarker(marker: string): string {
  return `${marker.slice(0, Math.min(4, Math.floor(marker.length / 2)))}… (${marker.length} chars)`;
}

function jsonEscaped(marker: string): string {
  return JSON.stringify(marker).slice(1, -1);
}
