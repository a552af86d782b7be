// The redirect page's check: only a sign-in this browser started is finished, and a provider's
// refusal reads as one.
import { readSignInRedirect, SignInRedirectError } from '../src/index.js';

const page = (query: string) => `https://app.example/auth/callback?${query}`;

test('gives code, state and iss for the state this browser kept', () => {
  expect(readSignInRedirect(page('code=abc&state=s1&iss=https%3A%2F%2Fid.example'), 's1')).toEqual({ code: 'abc', state: 's1', iss: 'https://id.example' });
  expect(readSignInRedirect(page('code=abc&state=s1'), 's1')).toEqual({ code: 'abc', state: 's1' });
});

test('refuses another browser\'s state, a missing code, and passes on the provider\'s error', () => {
  expect(() => readSignInRedirect(page('code=abc&state=theirs'), 'mine')).toThrow(expect.objectContaining({ error: 'state_mismatch' }));
  expect(() => readSignInRedirect(page('code=abc&state=s1'), '')).toThrow(SignInRedirectError);
  expect(() => readSignInRedirect(page('state=s1'), 's1')).toThrow(expect.objectContaining({ error: 'missing_code' }));
  expect(() => readSignInRedirect(page('error=access_denied&error_description=User%20said%20no&state=s1'), 's1')).toThrow(expect.objectContaining({ error: 'access_denied', message: 'User said no' }));
});
