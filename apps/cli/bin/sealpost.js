#!/usr/bin/env node
// Committed entry point, so npm links `sealpost` at install time, before dist/ is built.
import '../dist/main.js'
