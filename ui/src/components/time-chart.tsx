import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { clock } from '../format';

/** One plotted value of each point, with its colour. */
export interface ChartSeries {
  key: string;
  name: string;
  color: string;
}

const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#4b5563'];

/** The n-th of a fixed palette, so a target keeps its colour across charts. */
export function colorAt(index: number): string {
  return COLORS[index % COLORS.length] ?? '#4b5563';
}

/** A line or bar chart over time; `points` carry `at` (epoch ms) and one field per series. */
export function TimeChart({
  points,
  series,
  kind = 'line',
  format = (value: number) => String(value),
  height = 200,
  max,
}: {
  points: Array<Record<string, number | undefined>>;
  series: ChartSeries[];
  kind?: 'line' | 'bar';
  format?: (value: number) => string;
  height?: number;
  /** The smallest top of the value axis (e.g. 1 for a rate), so an all-zero series does not stretch the axis. */
  max?: number;
}) {
  const axis = (
    <>
      <CartesianGrid stroke="#e5e7eb" vertical={false} />
      <XAxis dataKey="at" type="category" tickFormatter={(value: number) => clock(value)} minTickGap={24} fontSize={11} />
      <YAxis tickFormatter={(value: number) => format(value)} width={64} fontSize={11} domain={[0, (top: number) => Math.max(top, max ?? 0)]} />
      <Tooltip labelFormatter={(value) => clock(Number(value))} formatter={(value) => format(Number(value))} />
      <Legend wrapperStyle={{ fontSize: 12 }} />
    </>
  );
  return (
    <ResponsiveContainer width="100%" height={height}>
      {kind === 'bar' ? (
        <BarChart data={points}>
          {axis}
          {series.map((entry) => (
            <Bar key={entry.key} dataKey={entry.key} name={entry.name} fill={entry.color} isAnimationActive={false} />
          ))}
        </BarChart>
      ) : (
        <LineChart data={points}>
          {axis}
          {series.map((entry) => (
            <Line key={entry.key} dataKey={entry.key} name={entry.name} stroke={entry.color} dot={{ r: 2 }} strokeWidth={2} isAnimationActive={false} connectNulls />
          ))}
        </LineChart>
      )}
    </ResponsiveContainer>
  );
}
