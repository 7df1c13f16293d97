import type { DeploymentModel, SensorModel } from '../config/model.js';
import { ZoneGeometry } from './zone-geometry.js';
import { ZoneIndex } from './zone-index.js';

/**
 * Zone membership of located sensors, derived once at load time from `location` (SPEC §2).
 * Sensors do not move, so this is a table, not a per-tick query.
 */

/** The point a sensor's location stands for; z is NaN for a 2-D location. */
function pointOf(location: NonNullable<SensorModel['location']>): [number, number, number] {
  return [location[0], location[1], location[2] ?? NaN];
}

function membership(model: Pick<DeploymentModel, 'zones' | 'sensors'>): Map<SensorModel, string[]> {
  const index = new ZoneIndex(model.zones.map((z) => new ZoneGeometry(z)));
  const out = new Map<SensorModel, string[]>();
  for (const sensor of model.sensors) {
    if (sensor.location === undefined) continue;
    const ids = index.zonesContainingPoint(...pointOf(sensor.location)).map((i) => model.zones[i]?.id ?? '');
    out.set(sensor, ids);
  }
  return out;
}

/**
 * For every sensor with a `location`: the ids of the zones containing it, in declaration order
 * (nested zones both list it; boundaries count as inside). Sensors without a location are absent.
 */
export function sensorZones(model: Pick<DeploymentModel, 'zones' | 'sensors'>): Map<string, string[]> {
  return new Map([...membership(model)].map(([sensor, ids]) => [sensor.id, ids]));
}

/**
 * The located sensors inside no zone, in declaration order, for `spatia validate` to warn about
 * (with each sensor's position). Empty when the deployment declares no zones at all: locations
 * then serve only `distance()`, and a warning per sensor would be noise.
 */
export function sensorsOutsideZones(model: Pick<DeploymentModel, 'zones' | 'sensors'>): SensorModel[] {
  if (model.zones.length === 0) return [];
  return [...membership(model)].filter(([, ids]) => ids.length === 0).map(([sensor]) => sensor);
}
