/**
 * cfn-lint and checkov, the infrastructure checks of CI, in a virtualenv of their own in the cache
 * folder (created on first use from PyPI, reused after; a marker names the pinned versions so a new
 * pin reinstalls). Both run offline on a packaged template.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

export const IAC_TOOLS = ['cfn-lint==1.58.0', 'checkov==3.3.30'];
const VENV = path.join(homedir(), '.cache', 'spacex-pipeline', 'iac-venv');

export function iacTools(): { cfnLint: string; checkov: string } {
  const bin = (name: string) => path.join(VENV, 'bin', name);
  const marker = path.join(VENV, '.installed');
  const pins = IAC_TOOLS.join(' ');
  if (!(existsSync(marker) && readFileSync(marker, 'utf8') === pins && existsSync(bin('checkov')))) {
    mkdirSync(path.dirname(VENV), { recursive: true });
    if (!existsSync(bin('python'))) execFileSync('python3', ['-m', 'venv', VENV], { stdio: 'pipe' });
    execFileSync(bin('pip'), ['install', '--quiet', '--disable-pip-version-check', ...IAC_TOOLS], { stdio: 'pipe', timeout: 900_000 });
    writeFileSync(marker, pins);
  }
  return { cfnLint: bin('cfn-lint'), checkov: bin('checkov') };
}
