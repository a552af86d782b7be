// What the users service publishes, declared once; consumers import these contracts. Each is
// written to the outbox inside the transaction of the change it announces.
import { z } from 'zod';
import { defineEvents } from '@builderai/kit';

const id = z.string().uuid();
const instant = z.string().datetime({ offset: true });

export const usersEvents = defineEvents('users', {
  'users.profile.updated': z
    .object({ userId: id, name: z.string().nullable(), username: z.string().nullable(), avatarUrl: z.string().nullable(), bio: z.string().nullable(), updatedAt: instant })
    .describe('a user changed their public profile'),
  'users.settings.updated': z
    .object({
      userId: id,
      emailNotifications: z.boolean(),
      pushNotifications: z.boolean(),
      theme: z.enum(['LIGHT', 'DARK', 'SYSTEM']),
      language: z.string(),
      updatedAt: instant,
    })
    .describe('a user changed their account settings'),
});
