// Rewrites the README's configuration reference from the schema (run through `npm run docs`).
import { readFileSync, writeFileSync } from 'node:fs';
import { withReference } from '../dist/config/reference.js';

const readme = readFileSync('README.md', 'utf8');
writeFileSync('README.md', withReference(readme));
console.log('README.md: configuration reference regenerated');
