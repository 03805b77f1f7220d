#!/usr/bin/env python3
"""A task driver for the Nomad (C#) agent, written in Python with no libraries, to show that a
driver can be written in any language. Protocol: JSON-RPC 2.0 on stdin/stdout, each message framed
by a `Content-Length: N` header and a blank line; parameters by position (see docs/plugins.md).

A task "runs" for config.run_for seconds and exits with config.exit_code. Its state lives in the
handle's DriverState (start time, run_for, exit_code), so a restarted driver recovers it exactly.

Misbehaviour for tests, from the manifest's args (`"args": ["--mode=garbage"]`), the plugin config
(`plugin "mock" { config { mode = "..." } }`) or the MOCK_DRIVER_MODE environment variable:
garbage (write junk on stdout), hang (stop answering), exit (exit at once), protocol (report
protocol version 99).
"""
import json
import os
import signal
import sys
import threading
import time

PROTOCOL_VERSION = 1
out_lock = threading.Lock()
tasks = {}          # task id -> {"started": float, "run_for": float, "exit_code": int, "killed": int or None}
mode = os.environ.get("MOCK_DRIVER_MODE", "")
for arg in sys.argv[1:]:
    if arg.startswith("--mode="):
        mode = arg.split("=", 1)[1]


def log(level, message):
    sys.stderr.write(f"[{level}] {message}\n")
    sys.stderr.flush()


def send(message):
    body = json.dumps(message).encode()
    with out_lock:
        sys.stdout.buffer.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        sys.stdout.buffer.flush()


def read_message():
    length = None
    while True:
        line = sys.stdin.buffer.readline()
        if not line:
            return None
        line = line.strip()
        if not line:
            break
        name, _, value = line.decode().partition(":")
        if name.strip().lower() == "content-length":
            length = int(value.strip())
    return json.loads(sys.stdin.buffer.read(length))


def fingerprint():
    return {"Health": "healthy", "HealthDescription": "Healthy", "Attributes": {"driver.mock": "1"}}


def exit_result(task):
    if task["killed"] is not None:
        return {"ExitCode": 128 + task["killed"], "Signal": task["killed"], "OOMKilled": False, "Err": None}
    return {"ExitCode": task["exit_code"], "Signal": 0, "OOMKilled": False, "Err": None}


def remaining(task):
    return task["started"] + task["run_for"] - time.time()


def is_done(task):
    return task["killed"] is not None or remaining(task) <= 0


def validate(config):
    errors = []
    for key in config:
        if key not in ("run_for", "exit_code"):
            errors.append(f"config.{key}: unknown field")
    if "run_for" in config and not isinstance(config["run_for"], (int, float)):
        errors.append("config.run_for: must be a number of seconds")
    if "exit_code" in config and not isinstance(config["exit_code"], int):
        errors.append("config.exit_code: must be an integer")
    return {"Errors": errors}


def status(task_id):
    task = tasks[task_id]
    state = "exited" if is_done(task) else "running"
    started = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(task["started"]))
    return {"ID": task_id, "Name": task_id.split("/")[1] if "/" in task_id else task_id, "State": state,
            "StartedAt": started, "CompletedAt": None, "ExitResult": exit_result(task) if state == "exited" else None}


def wait_task(request_id, task_id):
    task = tasks[task_id]
    while not is_done(task):
        time.sleep(min(max(remaining(task), 0.01), 0.05))
    send({"jsonrpc": "2.0", "id": request_id, "result": exit_result(task)})


def handle(method, params, request_id):
    global mode
    if method == "PluginInfo":
        return {"Name": "mock", "Type": "driver", "PluginVersion": "0.1.0",
                "ProtocolVersion": 99 if mode == "protocol" else PROTOCOL_VERSION}
    if method == "SetConfig":
        config = params[0] or {}
        mode = config.get("mode", mode)
        if mode == "exit":
            log("ERROR", "exiting at once as configured")
            sys.exit(3)
        return {"Errors": []}
    if method == "ValidateTaskConfig":
        return validate(params[0] or {})
    if method == "Capabilities":
        return {"SendSignals": True, "Exec": False, "FSIsolation": "none"}
    if method == "Fingerprint":
        if mode == "garbage":
            threading.Timer(0.2, lambda: (sys.stdout.buffer.write(b"this is not a protocol message\r\n\r\n"), sys.stdout.buffer.flush())).start()
        if mode == "hang":
            threading.Timer(0.2, lambda: os.kill(os.getpid(), signal.SIGSTOP)).start()
        return fingerprint()
    if method == "StartTask":
        task = params[0]
        config = task.get("DriverConfig") or {}
        state = {"started": time.time(), "run_for": float(config.get("run_for", 0)), "exit_code": int(config.get("exit_code", 0)), "killed": None}
        tasks[task["ID"]] = state
        log("INFO", f"started task {task['ID']}")
        return {"Config": task, "State": "running", "DriverState": state}
    if method == "RecoverTask":
        handle_ = params[0]
        tasks[handle_["Config"]["ID"]] = dict(handle_["DriverState"])
        return None
    if method == "WaitTask":
        threading.Thread(target=wait_task, args=(request_id, params[0]), daemon=True).start()
        return NotImplemented   # answered by the thread
    if method in ("StopTask", "SignalTask"):
        task = tasks[params[0]]
        if not is_done(task):
            task["killed"] = 15
        return None
    if method == "DestroyTask":
        tasks.pop(params[0], None)
        return None
    if method == "InspectTask":
        return status(params[0])
    if method == "TaskStats":
        return {"MemoryRssBytes": 0, "MemoryCacheBytes": 0, "MemorySwapBytes": 0, "MemoryMaxUsageBytes": 0, "CpuPercent": 0,
                "CpuUserMode": 0, "CpuSystemMode": 0, "CpuTotalTicks": 0, "CpuThrottledPeriods": 0, "Timestamp": int(time.time() * 1e9)}
    raise LookupError(f"method not supported: {method}")


def main():
    log("INFO", f"mock driver ready (pid {os.getpid()})")
    if mode == "exit":
        log("ERROR", "exiting at once as configured")
        return 3
    while True:
        message = read_message()
        if message is None:
            return 0
        request_id = message.get("id")
        try:
            result = handle(message.get("method"), message.get("params") or [], request_id)
            if request_id is not None and result is not NotImplemented:
                send({"jsonrpc": "2.0", "id": request_id, "result": result})
        except KeyError as e:
            send({"jsonrpc": "2.0", "id": request_id, "error": {"code": -32000, "message": f"unknown task {e}"}})
        except LookupError as e:
            send({"jsonrpc": "2.0", "id": request_id, "error": {"code": -32601, "message": str(e)}})


if __name__ == "__main__":
    sys.exit(main())
