#!/usr/bin/env node
// The docs check: every relative link in the repository's Markdown resolves (file, folder, and heading anchor), and
// every repository path the docs name in code (`scripts/run.sh`, `src/RAOrchestrator.Cli`, ...) exists.
// Usage: node scripts/check-docs.mjs [root]   (exit 1 with one line per broken reference)
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(process.argv[2] ?? path.join(path.dirname(new URL(import.meta.url).pathname), '..'));
const tracked = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '*.md'], { cwd: root, encoding: 'utf8' })
  .split('\n')
  .filter((f) => f && !f.startsWith('node_modules/') && !f.includes('/Protos/') && existsSync(path.join(root, f)));

// Folders whose paths the docs name; a code token starting with one of them must exist.
const repoFolders = ['src', 'tests', 'scripts', 'deploy', 'helm', 'bench', 'protos', 'examples', 'docs', '.ci'];
const pathToken = new RegExp(`^(?:\\./)?(?:${repoFolders.map((f) => f.replace('.', '\\.')).join('|')})/[^\\s]*$`);

const problems = [];
const anchorsOf = new Map();

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchors(file) {
  if (!anchorsOf.has(file)) {
    const seen = new Map();
    const set = new Set();
    let fenced = false;
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (line.startsWith('```')) fenced = !fenced;
      const m = !fenced && /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
      if (!m) continue;
      const base = m[1].toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      set.add(n === 0 ? base : `${base}-${n}`);
    }
    anchorsOf.set(file, set);
  }
  return anchorsOf.get(file);
}

function checkLink(file, lineNo, target) {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return; // http:, https:, mailto:
  const [rawPath, anchor] = target.split('#');
  const resolved = rawPath ? path.resolve(path.dirname(file), decodeURI(rawPath)) : file;
  if (!existsSync(resolved)) {
    problems.push(`${path.relative(root, file)}:${lineNo}: link to ${target}: no such file`);
    return;
  }
  if (anchor && statSync(resolved).isFile() && resolved.endsWith('.md') && !anchors(resolved).has(anchor)) {
    problems.push(`${path.relative(root, file)}:${lineNo}: link to ${target}: no heading with that anchor`);
  }
}

function checkPath(file, lineNo, token) {
  const cleaned = token.replace(/^["'(]+/, '').replace(/[)"',.;:]+$/, '');
  if (!pathToken.test(cleaned) || /[{}<>*…$|]/.test(cleaned)) return;
  if (!existsSync(path.join(root, cleaned))) {
    problems.push(`${path.relative(root, file)}:${lineNo}: names ${cleaned}, which does not exist`);
  }
}

for (const relative of tracked) {
  const file = path.join(root, relative);
  let fenced = false;
  readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
    const lineNo = i + 1;
    if (line.trimStart().startsWith('```')) {
      fenced = !fenced;
      return;
    }
    if (fenced) {
      line.split(/\s+/).forEach((token) => checkPath(file, lineNo, token));
      return;
    }
    for (const m of line.matchAll(/\[[^\]]*\]\(([^)\s]+)\)/g)) checkLink(file, lineNo, m[1]);
    for (const m of line.matchAll(/`([^`]+)`/g)) m[1].split(/\s+/).forEach((token) => checkPath(file, lineNo, token));
  });
}

if (problems.length > 0) {
  console.error(problems.join('\n'));
  console.error(`docs check: ${problems.length} broken reference(s) in ${tracked.length} Markdown files`);
  process.exit(1);
}
console.log(`docs check: ${tracked.length} Markdown files, every link and named path exists`);
