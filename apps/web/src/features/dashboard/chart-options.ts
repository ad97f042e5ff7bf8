// ECharts options for the dashboard's cards. Numbers are for drawing only: every data item keeps the exact
// text it came from (`exact`), which tooltips show.

export interface Datum {
  value: number;
  exact: string;
}

export const datum = (value: string | number | null | undefined, exact: string): Datum => ({ value: Number(value ?? 0), exact });

interface TooltipParam {
  seriesName: string;
  name: string;
  marker: string;
  data: Datum | null;
}

/** A tooltip listing each series' exact figure for the hovered category. */
export const exactTooltip = {
  trigger: 'axis' as const,
  formatter: (params: TooltipParam | TooltipParam[]) => {
    const list = Array.isArray(params) ? params : [params];
    const rows = list.filter((p) => p.data && p.seriesName !== '');
    return [list[0]?.name ?? '', ...rows.map((p) => `${p.marker} ${p.seriesName}: <b>${p.data?.exact}</b>`)].join('<br/>');
  },
};

/** Bars (or lines) over categories, a compact money or number axis. */
export function categoryChart(
  categories: string[],
  series: { name: string; data: (Datum | null)[]; type?: 'bar' | 'line'; color?: string }[],
  axisLabel: (v: number) => string,
  horizontal = false,
) {
  const category = { type: 'category' as const, data: categories, axisLabel: { hideOverlap: true } };
  // A horizontal value axis has little room for compact amounts: fewer ticks, none overlapping.
  const value = { type: 'value' as const, splitNumber: horizontal ? 3 : 5, axisLabel: { formatter: axisLabel, hideOverlap: true } };
  return {
    tooltip: exactTooltip,
    legend: series.length > 1 ? { top: 0 } : undefined,
    grid: { left: 8, right: 16, top: series.length > 1 ? 32 : 16, bottom: 8, containLabel: true },
    xAxis: horizontal ? value : category,
    yAxis: horizontal ? { ...category, inverse: true } : value,
    series: series.map((s) => ({ type: s.type ?? 'bar', name: s.name, data: s.data, itemStyle: s.color ? { color: s.color } : undefined, barMaxWidth: 36 })),
  };
}
