import { enPublic } from './en-public'

/**
 * English for what the app shows before anyone signs in (the sign-in page, errors, the crash
 * page): the part of the catalogue every page loads. The rest (`en-app.ts`, `en-pages.ts`,
 * `en-admin.ts`) comes with the pages loaded by route (issue 15); `en.ts` is all of it.
 */
export const enStart = {
  app: enPublic.app,
  fields: {
    username: 'Username',
    displayName: 'Display name',
    displayNameOptional: 'Display name (optional)',
    email: 'Email',
    password: 'Password',
    passwordAgain: 'Password again',
  },
  validation: {
    username:
      'Use 2–32 lowercase letters, digits, dots, dashes or underscores, starting with a letter or digit.',
    displayName: 'Enter a name of up to 100 characters.',
    passwordChoose: 'Choose a password.',
    email: 'Enter a valid email address.',
    passwordRequired: 'Enter your password.',
    passwordTooWeak: 'Choose a stronger password: at least “fair” (e.g. 12 or more characters).',
    passwordMismatch: 'The passwords do not match.',
    usernameRequired: 'Enter your username.',
    usernameTaken: 'This username is already taken.',
    recoveryCodeRequired: 'Enter your recovery code.',
    groupName:
      'Use up to 64 letters, digits, spaces, dots, dashes or underscores, starting with a letter or digit.',
    groupExists: 'A group with this name exists',
    webhookUrl: 'Enter an http:// or https:// URL without a user name or password.',
    webhookEvents: 'Enter at least one audit action, such as message.sent.',
    webhookEventsTooMany: 'Choose at most 50 events, or every event.',
    webhookDescription: 'Enter a description of up to 500 characters.',
  },
  errors: enPublic.errors,
  signIn: {
    title: 'Sign in to Sealpost',
    submit: 'Sign in',
    progress: 'Signing in and unlocking your keys…',
    forgotPassword: 'Forgot password?',
  },
  toast: {
    dismiss: 'Dismiss',
    region: 'Notifications',
  },
} as const
