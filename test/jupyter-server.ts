/**
 * A real Jupyter server for the browser tests: the project venv's jupyter_server with JupyterLab 4, Notebook 7
 * and nbclassic, the course kernel and figure renderers (scripts/jupyter.ts), on a free 127.0.0.1 port with
 * a random token. Config, data and runtime directories are fresh ones under the scratch folder, so nothing a
 * user trusted or set applies (notebooks open untrusted) and the test leaves nothing behind. The server and
 * its kernels are shut down by stop().
 */
import { ChildProcess, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { courseKernelEnv, ensureJupyter } from '../scripts/jupyter';

export interface KernelSession {
  id: string;
  path: string;
  kernel: { id: string; name: string; execution_state: string; connections?: number };
}

export interface JupyterServer {
  base: string;
  token: string;
  /** Seconds from spawning the server to its first answer. */
  startSeconds: number;
  /** An absolute URL of the server, with the token. */
  url(pathname: string): string;
  /** GET a REST endpoint (JSON). */
  api<T>(endpoint: string, init?: RequestInit): Promise<T>;
  sessions(): Promise<KernelSession[]>;
  /** Shuts down every kernel session (between chapters, to keep memory flat). */
  shutdownKernels(): Promise<void>;
  log(): string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** Starts `python -m jupyterlab` serving `root`; extra environment variables go to the server and its kernels. */
export async function startJupyterServer(root: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<JupyterServer> {
  const python = ensureJupyter();
  const port = await freePort();
  const token = crypto.randomBytes(16).toString('hex');
  const base = `http://127.0.0.1:${port}`;
  const home = path.join(root, '.jupyter-home');
  const settings = path.join(home, 'lab-settings');
  // The one user setting the tests need: no "get notified about Jupyter news?" prompt over the page.
  fs.mkdirSync(path.join(settings, '@jupyterlab', 'apputils-extension'), { recursive: true });
  fs.writeFileSync(path.join(settings, '@jupyterlab', 'apputils-extension', 'notification.jupyterlab-settings'), JSON.stringify({ fetchNews: 'false' }));
  const env = {
    ...courseKernelEnv(),
    JUPYTER_CONFIG_DIR: path.join(home, 'config'),
    JUPYTER_DATA_DIR: path.join(home, 'data'),
    JUPYTER_RUNTIME_DIR: path.join(home, 'runtime'),
    JUPYTERLAB_SETTINGS_DIR: settings,
    JUPYTERLAB_WORKSPACES_DIR: path.join(home, 'workspaces'),
    BROWSER: 'true',
    ...extraEnv,
  };
  const t0 = Date.now();
  const server: ChildProcess = spawn(
    python,
    [
      '-m', 'jupyterlab', '--no-browser', '--allow-root', `--port=${port}`, '--ip=127.0.0.1', '--ServerApp.port_retries=0',
      `--IdentityProvider.token=${token}`, `--ServerApp.root_dir=${root}`, '--LabApp.news_url=', '--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate',
    ],
    { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  server.stdout!.on('data', (d) => (log += d));
  server.stderr!.on('data', (d) => (log += d));
  const url = (p: string) => `${base}${p}${p.includes('?') ? '&' : '?'}token=${token}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`jupyter server exited (${server.exitCode}):\n${log.slice(-3000)}`);
    try {
      if ((await fetch(url('/api/status'))).ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error(`jupyter server did not answer within 90 s:\n${log.slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const startSeconds = (Date.now() - t0) / 1000;
  const api = async <T>(endpoint: string, init?: RequestInit): Promise<T> => {
    const r = await fetch(url(`/api/${endpoint}`), init);
    if (!r.ok) throw new Error(`${init?.method ?? 'GET'} /api/${endpoint}: ${r.status} ${await r.text()}`);
    const text = await r.text();
    return (text ? JSON.parse(text) : undefined) as T;
  };
  const sessions = () => api<KernelSession[]>('sessions');
  const shutdownKernels = async () => {
    for (const s of await sessions()) await api(`sessions/${s.id}`, { method: 'DELETE' });
    for (const k of await api<{ id: string }[]>('kernels')) await api(`kernels/${k.id}`, { method: 'DELETE' });
  };
  return {
    base,
    token,
    startSeconds,
    url,
    api,
    sessions,
    shutdownKernels,
    log: () => log,
    async stop() {
      if (server.exitCode !== null) return;
      await shutdownKernels().catch(() => undefined);
      const exited = new Promise<void>((r) => server.once('exit', () => r()));
      server.kill('SIGTERM');
      const done = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 10_000))]);
      if (!done) server.kill('SIGKILL');
    },
  };
}

/** A scratch copy of notebooks at the same depth as in the checkout (notebooks/), with lib/ linked beside it. */
export function scratchCourse(dir: string, notebooks: string[], sub = 'notebooks'): string {
  const target = path.join(dir, sub);
  fs.mkdirSync(target, { recursive: true });
  for (const nb of notebooks) fs.copyFileSync(nb, path.join(target, path.basename(nb)));
  const lib = path.join(dir, 'lib');
  if (!fs.existsSync(lib)) fs.symlinkSync(path.resolve(__dirname, '..', 'lib'), lib, 'dir');
  return target;
}
