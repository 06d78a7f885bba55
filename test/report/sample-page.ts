/** A report page with every section filled, including hostile strings, for the HTML and browser tests. */
import type { ReportChart, ReportPage } from '../../src/report/html.js';

export const HOSTILE_TITLE = '<script>alert(1)</script>';
export const HOSTILE_CELL = '"&<>';

export function samplePage(charts: readonly ReportChart[]): ReportPage {
  return {
    title: `Mount storm ${HOSTILE_TITLE}`,
    lead: 'r5.metal starts failing at 100 containers; m7a.24xlarge scales best.\n\nSecond paragraph with <b>markup</b> & an ampersand.',
    scenario: {
      fileName: 'scenarios/<evil>.yaml',
      text: 'name: "mount <storm>"\nmachines: [r5.metal, m7a.24xlarge]\nnote: </pre><script>alert(2)</script>\n',
    },
    headline: {
      caption: 'Launches at 100 containers',
      columns: ['machine', 'p50 latency (s)', 'failure rate', HOSTILE_CELL],
      rows: [
        ['r5.metal', 31.25, '12%', HOSTILE_CELL],
        ['m7a.24xlarge', 9.5, '0%', '<img src=x onerror=alert(3)>'],
        ['total launches', 20200, '', ''],
      ],
    },
    charts,
    reproduce: { command: 'locksim run scenarios/mount-storm.yaml --seed 1 --seed 2 && echo "<done>"' },
    files: [
      { file: 'results.json', description: 'raw results' },
      { file: 'javascript:alert(4)', description: 'must not become a link target' },
    ],
    footer: { locksimVersion: '0.1.0', seeds: [1, 2] },
  };
}
