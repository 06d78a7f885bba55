// Removes dist/ before `npm pack` builds it again, so the tarball holds no file from an older build.
import { rmSync } from 'node:fs';
import { URL } from 'node:url';

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
