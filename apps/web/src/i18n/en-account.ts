/**
 * English for the account pages (password, sessions, recovery code, two-factor, account
 * recovery): its own i18next namespace, `useTranslation('account')`, so the main catalogue's
 * key types stay small enough for TypeScript.
 */
export const enAccount = {
  account: {
    security: 'Sign-in and security',
    cancel: 'Cancel',
    close: 'Close',
    password: {
      open: 'Change password…',
      title: 'Change password',
      intro:
        'Your keys, vault and messages stay as they are. Your other sessions end; sign in there with the new password.',
      current: 'Current password',
      submit: 'Change password',
      progress: 'Checking your password and re-wrapping your keys…',
      changed: 'Password changed',
      changedBody: 'Your other sessions have ended.',
    },
    sessions: {
      title: 'Sessions',
      loading: 'Loading your sessions…',
      cli: 'Command line (CLI)',
      thisOne: '(this session)',
      noAddress: 'address unknown',
      signedIn: 'signed in',
      lastSeen: 'last seen',
      signOut: 'Sign out',
      endOne: 'Sign out {{device}}',
      endOthers: 'Sign out everywhere else',
      ended: 'Session signed out',
      endedOthers_one: '{{count}} other session signed out',
      endedOthers_other: '{{count}} other sessions signed out',
      endFailed: 'Could not sign the session out',
    },
  },
  recovery: {
    offer: {
      title: 'Create a recovery code',
      intro:
        'If you ever forget your password, a recovery code sets a new one and keeps your keys, vault and messages. Without it, a forgotten password loses them for good.',
      create: 'Create recovery code',
      progress: 'Creating your recovery code…',
      skip: 'Skip for now',
    },
    kit: {
      title: 'Your recovery code',
      for: 'Sealpost account {{username}} at {{origin}}',
      codeLabel: 'Recovery code',
      help: 'With this code and your username, “Forgot password” on the sign-in page sets a new password. Keep it offline, away from your password.',
      once: 'It is shown only now: Sealpost keeps nothing that could show it again. A new code replaces this one.',
      print: 'Print',
      download: 'Download',
      kept: 'I have written down, printed or saved my recovery code',
      done: 'Done',
      file: 'Sealpost recovery code\n\nAccount: {{username}}\nServer: {{origin}}\nRecovery code: {{code}}\n\nWith this code and your username, “Forgot password” on the sign-in page\n(or `sealpost recover`) sets a new password and keeps your keys, vault and messages.\nKeep it offline and away from your password. A new code replaces this one.\n',
    },
    setting: {
      title: 'Recovery code',
      loading: 'Loading…',
      none: 'You have no recovery code: a forgotten password would lose your data.',
      since: 'You created your recovery code on {{date}}.',
      create: 'Create recovery code…',
      replace: 'Replace recovery code…',
      dialogTitle: 'New recovery code',
      intro:
        'Confirm your password: it unlocks your keys in this browser so the new code can protect them. The old code stops working.',
      submit: 'Create code',
    },
    recover: {
      title: 'Reset your password',
      intro:
        'Enter your recovery code and choose a new password. Your keys are unlocked in this browser; your vault and messages stay.',
      code: 'Recovery code',
      submit: 'Reset password',
      progress: 'Unlocking your keys with the recovery code…',
      back: 'Back to sign-in',
      doneIntro:
        'Your password is reset and you are signed in. Your recovery code is used up: create a new one now.',
    },
  },
  twoFactor: {
    signIn: {
      title: 'Two-factor sign-in',
      intro: 'Your password was right. Confirm it is you with your second factor.',
      code: 'Code',
      codeHelp: 'The 6-digit code from your authenticator app, or one of your backup codes.',
      submit: 'Verify',
      useKey: 'Use security key or passkey',
      keyFailed: 'The security key did not answer: {{reason}}',
      cancel: 'Back to sign-in',
      wrong: 'That code or security key was not accepted.',
    },
    setting: {
      title: 'Two-factor sign-in',
      loading: 'Loading…',
      off: 'Off: your password alone signs you in.',
      on_one: 'On: {{methods}}. {{count}} backup code left.',
      on_other: 'On: {{methods}}. {{count}} backup codes left.',
      app: 'authenticator app',
      setUpApp: 'Set up authenticator app…',
      addKey: 'Add security key or passkey…',
      turnOff: 'Turn off two-factor',
    },
    dialog: {
      totp: 'Set up an authenticator app',
      key: 'Add a security key or passkey',
      off: 'Turn off two-factor sign-in',
      confirm: 'Confirm your password first.',
      continue: 'Continue',
    },
    totp: {
      loading: 'Creating your secret…',
      intro:
        'Add this secret to your authenticator app (type it in, or open the link on this device), then enter the 6-digit code it shows.',
      secret: 'Secret',
      openApp: 'Open in an authenticator app',
      code: 'Code from the app',
      confirm: 'Turn on',
    },
    key: {
      intro: 'Name the key, then touch it or confirm on your device when the browser asks.',
      name: 'Name',
      defaultName: 'Security key',
      add: 'Add key',
      added: 'The security key was added.',
    },
    backup: {
      intro:
        'Two-factor sign-in is on. Keep these backup codes somewhere safe: each signs you in once if you lose your device. They are shown only now.',
      label: 'Backup codes',
      file: 'Sealpost backup codes (each works once)',
      download: 'Download',
      done: 'Done',
    },
    required: {
      title: 'Set up two-factor sign-in',
      intro:
        'Your organisation requires a second factor. Set up an authenticator app or a security key to continue.',
      signOut: 'Sign out',
    },
  },
  orgRecovery: {
    title: 'Account recovery',
    off: 'Off. A user who forgets their password and has no recovery code loses their data. Turned on, administrators can reset a forgotten password and the user keeps everything.',
    on_one:
      'On: administrators can reset the passwords of enrolled users. {{count}} user is enrolled; others are enrolled at their next sign-in.',
    on_other:
      'On: administrators can reset the passwords of enrolled users. {{count}} users are enrolled; others are enrolled at their next sign-in.',
    enable: 'Turn on account recovery',
    confirmTitle: 'Turn on account recovery?',
    confirmBody:
      'A recovery key is created in this browser and sealed to every administrator. At their next sign-in each user’s keys are sealed to it too, and they are told that administrators can recover their account. This cannot be turned off here.',
    enrolled: 'Recovery enrolled',
    resetAction: 'Reset password…',
    resetTitle: 'Reset link for {{username}}',
    resetProgress: 'Opening the escrowed key and sealing it under a new link…',
    resetLink: 'Reset link',
    resetHint:
      'Give it to {{username}} over a channel you trust. It works once, for 24 hours; their sessions end when they use it.',
    enrolledNotice:
      'Your organisation has account recovery on: administrators can reset your password, and you keep your data.',
    pendingNotice:
      'Your organisation has account recovery on: after your next sign-in administrators can reset your password.',
    unverifiedNotice:
      'The server offers an account recovery key that no administrator of your organisation signed, so your account was not enrolled and your keys were not shared. Tell your administrator.',
    fingerprint: 'Recovery key fingerprint',
    fingerprintHelp:
      'Your keys are sealed to the recovery key with this fingerprint. Compare it with what your administrator sees in their profile.',
    page: {
      title: 'Choose a new password',
      intro:
        'An administrator reset your password. Your keys are unlocked in this browser; your vault and messages stay. All your sessions end.',
      submit: 'Set new password',
      progress: 'Unlocking your keys…',
      invalidTitle: 'This reset link is not available',
      invalidBody:
        'It has expired, was used already, or is incomplete. Ask your administrator for a new one.',
    },
  },
} as const
