// The API evolves without versions: fields are retired with @deprecated and removed only once
// clients have moved. This compares two API schemas (graphql's findBreakingChanges) and says
// which breaking changes nobody acknowledged in router/schema-changes.json.
import {
  buildSchema,
  findBreakingChanges,
  findDangerousChanges,
  isEnumType,
  isInterfaceType,
  isObjectType,
  type GraphQLSchema,
} from 'graphql';

export const ACKNOWLEDGEMENTS_FILE = 'router/schema-changes.json';

/** One breaking change accepted on purpose; `change` is the description schema:check prints. */
export interface AcknowledgedChange {
  change: string;
  reason: string;
}

export interface SchemaChangeReport {
  breaking: string[];
  dangerous: string[];
  /** Breaking changes not in the acknowledgements: these fail the check. */
  unacknowledged: string[];
  /** Fields and enum values deprecated since the previous schema: the way to retire them. */
  newlyDeprecated: string[];
  /** Removed fields that were never deprecated first. */
  removedWithoutDeprecation: string[];
  /** Acknowledgements that match no current change (left over from an earlier commit). */
  unusedAcknowledgements: string[];
}

/** Every field and enum value with its deprecation reason (null when not deprecated). */
function deprecations(schema: GraphQLSchema): Map<string, string | null> {
  const found = new Map<string, string | null>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) found.set(`${type.name}.${field.name}`, field.deprecationReason ?? null);
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) found.set(`${type.name}.${value.name}`, value.deprecationReason ?? null);
    }
  }
  return found;
}

export function compareApiSchemas(previousSdl: string, currentSdl: string, acknowledged: AcknowledgedChange[] = []): SchemaChangeReport {
  const previous = buildSchema(previousSdl);
  const current = buildSchema(currentSdl);
  const breaking = findBreakingChanges(previous, current).map((change) => change.description);
  const dangerous = findDangerousChanges(previous, current).map((change) => change.description);
  const acknowledgedChanges = new Set(acknowledged.map((entry) => entry.change));

  const before = deprecations(previous);
  const after = deprecations(current);
  const newlyDeprecated: string[] = [];
  const removedWithoutDeprecation: string[] = [];
  for (const [coordinate, reason] of after) {
    if (reason !== null && before.get(coordinate) === null) newlyDeprecated.push(`${coordinate}: ${reason}`);
  }
  for (const [coordinate, reason] of before) {
    if (!after.has(coordinate) && reason === null) removedWithoutDeprecation.push(coordinate);
  }

  return {
    breaking,
    dangerous,
    unacknowledged: breaking.filter((change) => !acknowledgedChanges.has(change)),
    newlyDeprecated,
    removedWithoutDeprecation,
    unusedAcknowledgements: [...acknowledgedChanges].filter((change) => !breaking.includes(change)),
  };
}
