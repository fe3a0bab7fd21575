// The sign-in flow's code (key unwrapping, HPKE, and OPAQUE through it) as a chunk of its own,
// loaded when the form is sent: the sign-in page itself only draws the form (issue 15).
export { signIn } from '@sealpost/core'
