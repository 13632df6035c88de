import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MINIMAL_YAML } from './helpers/questionnaires';
import { failedStart, startService } from './helpers/service';

describe('the service as started by npm start', () => {
  test('starts on embedded defaults, serves health and readiness, and drains on SIGTERM', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'bridge-data-'));
    const service = await startService({ DATA_DIR: dataDir });
    expect((await fetch(`${service.base}/health`)).status).toBe(200);
    expect((await fetch(`${service.base}/ready`)).status).toBe(200);
    const loaded = service.lines.map((l) => JSON.parse(l) as { msg: string; questionnaires?: string[] }).find((l) => l.msg === 'questionnaires loaded');
    expect(loaded?.questionnaires).toEqual(['post-discharge', 'pre-visit-screening']);

    service.child.kill('SIGTERM');
    const { code } = await service.exited;
    expect(code).toBe(0);
    const messages = service.lines.map((l) => (JSON.parse(l) as { msg: string }).msg);
    expect(messages).toEqual(expect.arrayContaining(['draining: no new calls, closing the server', 'server closed, exiting']));
  });

  test('a broken questionnaire stops startup with the precise error', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bridge-q-'));
    writeFileSync(path.join(dir, 'post-discharge.yaml'), MINIMAL_YAML.replace('id: mini', 'id: post-discharge').replace('type: boolean', 'type: integer\n    min: 3\n    max: 1'));
    const { code, stderr } = await failedStart({ QUESTIONNAIRES_DIR: dir });
    expect(code).toBe(1);
    expect(stderr).toContain('[QUESTIONNAIRE_INVALID]');
    expect(stderr).toContain('post-discharge.yaml: items[0].max: must be ≥ min (3)');
  });

  test('a bad variable stops startup naming it', async () => {
    const { code, stderr } = await failedStart({ PORT: 'abc' });
    expect(code).toBe(1);
    expect(stderr).toContain('[CONFIG_INVALID]');
    expect(stderr).toContain('PORT="abc": must be a port number');
  });

  test('a default questionnaire that does not exist stops startup', async () => {
    const { code, stderr } = await failedStart({ DEFAULT_QUESTIONNAIRE: 'nope' });
    expect(code).toBe(1);
    expect(stderr).toContain('DEFAULT_QUESTIONNAIRE="nope" is not among the questionnaires');
  });
});
