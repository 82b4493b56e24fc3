"""How the course kernel reports type errors now that cells run while a worker type-checks them
(kernel/checked-executor.js), over the Jupyter protocol (jupyter_client, project venv). Run by
test/integration/checked-kernel.test.ts with JUPYTER_PATH pointing at build/jupyter.

Fast mode (default): a cell with a type error runs, and its diagnostic arrives in the SAME cell (iopub
stream with that cell's parent header), after its reply when the check ends later; a cell sent before
that diagnostic was shown is not run. Strict mode (DLOPT_TYPECHECK=strict, headless runs): the cell
fails with tslab's message and nothing else. Both: syntax and grammar errors stop a cell before it runs,
declarations of failed cells do not reach later cells. After a failed or interrupted cell, the cells
queued behind it are cancelled and the next one sent runs; an interrupt stops a cell even when it
arrives before the cell's code starts. Idle work: the course library's warm-up runs only while no request is
in progress or queued, and a kernel that ran it gives the same results as one without it.
"""
import os
import time
import unittest

from jupyter_client.manager import KernelManager

TYPE_ERROR = "1:7 - Type 'string' is not assignable to type 'number'."
REFUSED_START = "Not run: type errors were found in an earlier cell after it had run"


class Kernel:
    """A fresh course kernel in notebooks/ with `typecheck` as DLOPT_TYPECHECK."""

    def __init__(self, typecheck=None, extra_env=None):
        env = dict(os.environ)
        env.pop("DLOPT_TYPECHECK", None)
        env.pop("DLOPT_WARMUP", None)
        if typecheck:
            env["DLOPT_TYPECHECK"] = typecheck
        env.update(extra_env or {})
        self.km = KernelManager(kernel_name="dl-optimization")
        self.km.start_kernel(cwd=os.path.join(os.environ["DLOPT_ROOT_FOR_TEST"], "notebooks"), env=env)
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=120)
        self.outputs = {}  # msg_id -> list of (msg_type, content) in arrival order

    def send(self, code):
        return self.kc.execute(code)

    def reply(self, msg_id, timeout=120):
        while True:
            r = self.kc.get_shell_msg(timeout=timeout)
            if r["parent_header"].get("msg_id") == msg_id:
                return r["content"]

    def collect(self, seconds):
        """Iopub messages for `seconds`, filed by parent msg_id."""
        end = time.time() + seconds
        while time.time() < end:
            try:
                m = self.kc.get_iopub_msg(timeout=max(0.05, end - time.time()))
            except Exception:
                continue
            pid = m["parent_header"].get("msg_id")
            if m["msg_type"] in ("stream", "display_data", "error"):
                self.outputs.setdefault(pid, []).append((m["msg_type"], m["content"]))

    def text(self, msg_id, name):
        return "".join(c.get("text", "") for t, c in self.outputs.get(msg_id, []) if t == "stream" and c["name"] == name)

    def wait_for_text(self, msg_id, name, needle, seconds=120):
        end = time.time() + seconds
        while time.time() < end and needle not in self.text(msg_id, name):
            self.collect(0.5)
        return self.text(msg_id, name)

    def run(self, code, settle=0.3):
        msg_id = self.send(code)
        content = self.reply(msg_id)
        self.collect(settle)
        return msg_id, content

    def close(self):
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)


class FastMode(unittest.TestCase):
    def setUp(self):
        self.k = Kernel()

    def tearDown(self):
        self.k.close()

    def test_type_error_arrives_in_its_own_cell_after_the_reply(self):
        # the first cell's check waits for the worker's first program (seconds): the reply comes first
        t0 = time.time()
        first, content = self.k.run('console.log("ran"); const n: number = "three";', settle=0)
        replied = time.time() - t0
        self.assertEqual(content["status"], "ok", "the cell ran before its check ended")
        self.assertEqual(self.k.text(first, "stderr"), "", "no diagnostic before the reply: the check was still running")
        text = self.k.wait_for_text(first, "stderr", TYPE_ERROR)
        self.assertEqual(text.strip(), TYPE_ERROR.replace("1:7", "1:27"), "the diagnostic, tslab's line, in the cell that caused it")
        self.assertIn("ran", self.k.text(first, "stdout"))
        self.assertLess(replied, 60)
        # now shown: a cell sent after it runs, and `n` (from a cell with errors) is unknown to it
        later, content = self.k.run("console.log(6 * 7)")
        self.assertEqual(content["status"], "ok")
        self.assertEqual(self.k.text(later, "stdout").strip(), "42")
        bad, content = self.k.run("n + 1", settle=0)
        self.assertEqual(content["status"], "error", "n was not declared for later cells")

    def test_a_cell_sent_before_the_error_was_shown_is_not_run(self):
        first = self.k.send('const n: number = "three";')
        second = self.k.send('console.log("second ran")')
        self.assertEqual(self.k.reply(first)["status"], "ok")
        self.assertEqual(self.k.reply(second)["status"], "error")
        self.k.wait_for_text(first, "stderr", TYPE_ERROR)
        self.k.collect(0.5)
        self.assertEqual(self.k.text(first, "stderr").strip(), TYPE_ERROR)
        self.assertEqual(self.k.text(second, "stdout"), "", "the second cell did not run")
        self.assertTrue(self.k.text(second, "stderr").startswith(REFUSED_START), self.k.text(second, "stderr"))
        # sent again (after the error was shown), it runs
        again, content = self.k.run('console.log("second ran")')
        self.assertEqual(content["status"], "ok")
        self.assertEqual(self.k.text(again, "stdout").strip(), "second ran")

    def test_declarations_values_and_errors_of_each_kind(self):
        _, c = self.k.run("function sq(x: number): number { return x * x }\nconst c = sq(3);\nc")
        self.assertEqual(c["status"], "ok")
        m, c = self.k.run("c + sq(2)")
        self.assertEqual((c["status"], self.k.text(m, "stdout").strip()), ("ok", "13"))
        m, c = self.k.run('const broken = (;\nconsole.log("ran")')
        self.assertEqual(c["status"], "error", "a syntax error stops the cell")
        self.assertEqual(self.k.text(m, "stderr").strip(), "1:17 - Expression expected.")
        self.assertEqual(self.k.text(m, "stdout"), "")
        m, c = self.k.run('console.log("ran"); let a = 1; let a = 2;')
        self.assertEqual(c["status"], "error", "a redeclaration stops the cell before it runs")
        self.assertEqual(self.k.text(m, "stdout"), "")
        self.assertIn("Cannot redeclare block-scoped variable 'a'.", self.k.text(m, "stderr"))
        m, c = self.k.run("const r = await Promise.resolve(5);\nr + c")
        self.assertEqual((c["status"], self.k.text(m, "stdout").strip()), ("ok", "14"), "top-level await")
        time.sleep(2)  # every check done: a type error now fails its own cell before the reply
        m, c = self.k.run('const s: string = sq(2);')
        # the check of a small cell on a warm program usually ends while the cell runs; either way the
        # message reaches this cell
        self.assertIn(c["status"], ("ok", "error"))
        self.assertIn("Type 'number' is not assignable to type 'string'.", self.k.wait_for_text(m, "stderr", "not assignable"))


class StrictMode(unittest.TestCase):
    def setUp(self):
        self.k = Kernel("strict")

    def tearDown(self):
        self.k.close()

    def test_type_error_fails_the_cell_with_tslabs_message_only(self):
        m, c = self.k.run('console.log("ran"); const n: number = "three";')
        self.assertEqual(c["status"], "error")
        self.assertEqual(self.k.text(m, "stderr").strip(), TYPE_ERROR.replace("1:7", "1:27"))
        self.assertEqual(self.k.text(m, "stdout"), "", "the output of a cell with type errors is dropped, as if it had not run")
        m, c = self.k.run("n")
        self.assertEqual(c["status"], "error")
        self.assertIn("Cannot find name 'n'.", self.k.text(m, "stderr"))

    def test_outputs_of_a_correct_cell_are_sent_in_order(self):
        m, c = self.k.run('console.log("one"); import * as tslab from "tslab"; tslab.display.html("<b>two</b>"); console.error("three"); 6 * 7')
        self.assertEqual(c["status"], "ok")
        kinds = [(t, x.get("name") or sorted(x.get("data", {}))) for t, x in self.k.outputs[m]]
        self.assertEqual(kinds, [("stream", "stdout"), ("display_data", ["text/html"]), ("stream", "stderr"), ("stream", "stdout")])
        self.assertEqual(self.k.text(m, "stdout"), "one\n42\n")


class AfterAFailure(unittest.TestCase):
    """A failed or interrupted cell cancels the cells queued behind it (Run All), not the next one the
    student runs: tslab aborted every request reaching it within 200 ms of a failure, with no output."""

    def setUp(self):
        self.k = Kernel()

    def tearDown(self):
        self.k.close()

    def busy(self, msg_id, seconds=30):
        end = time.time() + seconds
        while time.time() < end:
            try:
                m = self.k.kc.get_iopub_msg(timeout=1)
            except Exception:
                continue
            if m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "status" and m["content"]["execution_state"] == "busy":
                return
        self.fail("the cell never made the kernel busy")

    def test_a_cell_sent_right_after_an_error_runs_and_queued_ones_do_not(self):
        failed = self.k.send('throw new Error("boom")')
        queued = self.k.send('console.log("queued ran")')
        self.assertEqual(self.k.reply(failed)["status"], "error")
        self.assertNotEqual(self.k.reply(queued)["status"], "ok", "a cell sent before the failure is cancelled")
        # sent at once after the reply, as a student's next Shift+Enter
        later, content = self.k.run('console.log("later ran")')
        self.assertEqual(content["status"], "ok")
        self.assertEqual(self.k.text(later, "stdout").strip(), "later ran")
        self.assertEqual(self.k.text(queued, "stdout"), "")

    def test_interrupt_stops_a_loop_and_the_next_cell_runs_at_once(self):
        loop = self.k.send("let spins = 0;\nfor (;;) { spins++; }")
        self.busy(loop)
        time.sleep(0.5)
        self.k.km.interrupt_kernel()
        self.assertEqual(self.k.reply(loop, timeout=30)["status"], "error")
        later, content = self.k.run('console.log("still here", 6 * 7)')
        self.assertEqual(content["status"], "ok")
        self.assertEqual(self.k.text(later, "stdout").strip(), "still here 42")

    def test_interrupt_sent_while_the_cell_is_converted_stops_it(self):
        # the SIGINT is sent as soon as the kernel takes the cell (its busy status), so it often arrives while
        # the cell is still being converted, before the loop starts: it must stop the cell either way. (Sent
        # before the kernel has the request, it would find the kernel idle and do nothing, as in ipykernel.)
        for i in range(3):
            loop = self.k.send("let spins%d = 0;\nfor (;;) { spins%d++; }" % (i, i))
            self.busy(loop)
            self.k.km.interrupt_kernel()
            self.assertEqual(self.k.reply(loop, timeout=30)["status"], "error", "interrupt %d did not stop the cell" % i)
        later, content = self.k.run("console.log(6 * 7)")
        self.assertEqual((content["status"], self.k.text(later, "stdout").strip()), ("ok", "42"))


class IdleWork(unittest.TestCase):
    """The course library's warm-up (src/edge/warmup.ts) runs while the kernel is idle (kernel/patch-tslab.js,
    "idle work"), never while a request is in progress or queued, and changes no result."""

    SETUP = 'import { setup, minimize, rosenbrock, adam, mlp, trainEpochs, twoMoons } from "../lib";\nawait setup({ quiet: true });'
    PROGRESS = 'console.log(JSON.stringify(((globalThis as any)[Symbol.for("dl-optimization.idleTasks")] ?? []).map((t: any) => [t.name, t.completed])))'
    # a seeded trajectory and a seeded training run, printed to the last bit
    RESULTS = (
        'const tr = minimize(rosenbrock(), adam({ lr: 0.02 }), { x0: [-1, 1], steps: 40 });\n'
        'const mo = twoMoons(64, 3, 0.1);\n'
        'const net = mlp({ sizes: [2, 8, 1], activation: "tanh", seed: 4 });\n'
        'const Xt = tf.tensor2d(mo.X), yt = tf.tensor2d(mo.y, [mo.y.length, 1]);\n'
        'const fit = trainEpochs(net, adam({ lr: 0.05 }), { X: Xt, y: yt, epochs: 2, batchSize: 16, seed: 5, loss: "logistic" });\n'
        'net.dispose(); tf.dispose([Xt, yt]);\n'
        'console.log(JSON.stringify({ x: tr.points[tr.points.length - 1], f: tr.losses, train: fit.stepLoss }));'
    )

    def progress(self):
        m, c = self.k.run(self.PROGRESS, settle=0.05)
        self.assertEqual(c["status"], "ok")
        return self.k.text(m, "stdout").strip()

    def results(self, k):
        m, c = k.run('import * as tf from "@tensorflow/tfjs";\n' + self.RESULTS)
        self.assertEqual(c["status"], "ok", k.text(m, "stderr"))
        return k.text(m, "stdout").strip()

    def setUp(self):
        self.k = Kernel()

    def tearDown(self):
        self.k.close()

    def test_warm_up_runs_only_while_idle_and_changes_no_result(self):
        # sent together: the second request is queued while the first runs, so the kernel is never idle between them
        setup = self.k.send(self.SETUP)
        queued = self.k.send(self.PROGRESS)
        self.assertEqual(self.k.reply(setup)["status"], "ok")
        self.assertEqual(self.k.reply(queued)["status"], "ok")
        self.k.collect(0.2)
        self.assertEqual(self.k.text(queued, "stdout").strip(), '[["warm-up",0]]', "no unit may run while a request is queued")
        # a student reading: idle pauses between cells; every unit is one short step, so the warm-up ends
        seen = []
        end = time.time() + 120
        while time.time() < end:
            time.sleep(1.0)
            seen.append(self.progress())
            if seen[-1] == "[]":
                break
        self.assertEqual(seen[-1], "[]", "the warm-up did not finish while idle: %s" % seen)
        warm = self.results(self.k)
        cold = Kernel(extra_env={"DLOPT_WARMUP": "0"})
        try:
            m, c = cold.run(self.SETUP)
            self.assertEqual(c["status"], "ok")
            m, c = cold.run(self.PROGRESS)
            self.assertEqual(cold.text(m, "stdout").strip(), "[]", "DLOPT_WARMUP=0 registers no warm-up")
            self.assertEqual(self.results(cold), warm, "results after the warm-up differ from a kernel without it")
        finally:
            cold.close()


if __name__ == "__main__":
    unittest.main(verbosity=2)
