import { describe, expect, it } from 'vitest';
import { entityMetricsText } from '../../../src/metrics/entity-metrics.js';
import type { RunStatus } from '../../../src/metrics/run-status.js';

const status = {
  sensors: [
    { id: 'temp', kind: 'i2c', status: 'ok', value: 21.5, lastReadAgoS: 0.5 },
    { id: 'door', kind: 'gpio', status: 'stale', value: false, lastReadAgoS: 12 },
    { id: 'we"ird\\id', kind: 'mqtt', status: 'never' },
    { id: 'label', kind: 'serial', status: 'ok', value: 'OPEN', lastReadAgoS: 1 },
  ],
  conditions: [
    { id: 'hot', state: true, sinceTick: 4 },
    { id: 'cold', state: false },
    { id: 'unsure', state: null },
  ],
} as unknown as RunStatus;

describe('entityMetricsText', () => {
  it('writes one series per sensor and condition, absent where unknown, in Prometheus text format', () => {
    expect(entityMetricsText(status).split('\n')).toEqual([
      '# HELP spatia_sensor_up Sensor health: 1 ok, 0 stale, unknown or never read.',
      '# TYPE spatia_sensor_up gauge',
      'spatia_sensor_up{sensor="temp",kind="i2c"} 1',
      'spatia_sensor_up{sensor="door",kind="gpio"} 0',
      'spatia_sensor_up{sensor="we\\"ird\\\\id",kind="mqtt"} 0',
      'spatia_sensor_up{sensor="label",kind="serial"} 1',
      '# HELP spatia_sensor_value Current value of each numeric or boolean sensor (booleans as 1/0); absent while unknown.',
      '# TYPE spatia_sensor_value gauge',
      'spatia_sensor_value{sensor="temp"} 21.5',
      'spatia_sensor_value{sensor="door"} 0',
      "# HELP spatia_sensor_last_read_age_seconds Seconds since each sensor's last good reading; absent before the first.",
      '# TYPE spatia_sensor_last_read_age_seconds gauge',
      'spatia_sensor_last_read_age_seconds{sensor="temp"} 0.5',
      'spatia_sensor_last_read_age_seconds{sensor="door"} 12',
      'spatia_sensor_last_read_age_seconds{sensor="label"} 1',
      '# HELP spatia_condition_state Each condition: 1 true, 0 false; absent while unknown.',
      '# TYPE spatia_condition_state gauge',
      'spatia_condition_state{condition="hot"} 1',
      'spatia_condition_state{condition="cold"} 0',
      '',
    ]);
  });
});
