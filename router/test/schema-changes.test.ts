import { compareApiSchemas } from '../src/schema-changes.js';

const v1 = `
  type Query { project(id: ID!): Project, legacy: String @deprecated(reason: "Use project.") }
  type Project { id: ID!, name: String!, title: String }
  enum Status { ACTIVE ARCHIVED }
`;

test('adding fields is safe; deprecating one is reported as the way to retire it', () => {
  const v2 = v1.replace('title: String', 'title: String @deprecated(reason: "Use name.") createdAt: String');
  const report = compareApiSchemas(v1, v2);
  expect(report.breaking).toEqual([]);
  expect(report.newlyDeprecated).toEqual(['Project.title: Use name.']);
});

test('removing a field is breaking until acknowledged; removing an undeprecated one is called out', () => {
  const v2 = v1.replace('title: String', '').replace(', legacy: String @deprecated(reason: "Use project.")', '');
  const report = compareApiSchemas(v1, v2);
  expect(report.breaking).toEqual(['Query.legacy was removed.', 'Project.title was removed.']);
  expect(report.unacknowledged).toEqual(report.breaking);
  expect(report.removedWithoutDeprecation).toEqual(['Project.title']);

  const acknowledged = compareApiSchemas(v1, v2, [
    { change: 'Query.legacy was removed.', reason: 'Deprecated since March; no client has used it for 90 days.' },
    { change: 'Project.title was removed.', reason: 'Never shipped to clients.' },
    { change: 'Query.other was removed.', reason: 'From an earlier commit.' },
  ]);
  expect(acknowledged.unacknowledged).toEqual([]);
  expect(acknowledged.unusedAcknowledgements).toEqual(['Query.other was removed.']);
});

test('adding an enum value or an optional argument is dangerous, not breaking', () => {
  const v2 = v1.replace('ACTIVE ARCHIVED', 'ACTIVE ARCHIVED DELETED').replace('project(id: ID!)', 'project(id: ID!, version: Int = 1)');
  const report = compareApiSchemas(v1, v2);
  expect(report.breaking).toEqual([]);
  expect(report.dangerous).toEqual(expect.arrayContaining(['DELETED was added to enum type Status.']));
});
