// RunPlugin: how the engine starts a Node.js policy pack (`pulumi preview --policy-pack <dir>`).
//
// The engine (v3.259.0 and v3.274.1 alike) reads the pack's PulumiPolicy.yaml (`runtime: nodejs`)
// and, because a Node.js language host is installed, asks that host to run the pack with
// RunPlugin(kind "analyzer"). (v3.259.0 would fall back to a `pulumi-analyzer-policy-nodejs`
// plugin only when no Node.js language host exists; v3.274.1 has no fallback at all.) The official
// host then runs `node <@pulumi/pulumi/cmd/run-policy-pack> <engine args> <pack dir>` in the pack's
// directory, which is what this does. @pulumi/policy serves the analyzer itself (it prints its port
// on stdout and implements ConfigureStack), so no proxy between the engine and the pack is needed.
// Other plugin kinds (Node.js resource providers as plugins) are not offered: this repository has
// none.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// streamWriter sends what the pack writes to the engine as RunPluginResponse messages. One mutex
// for both streams: a gRPC stream must not be sent to from two goroutines at once.
type streamWriter struct {
	mu     *sync.Mutex
	server grpc.ServerStreamingServer[pulumirpc.RunPluginResponse]
	stderr bool
}

func (w streamWriter) Write(p []byte) (int, error) {
	data := append([]byte(nil), p...)
	msg := &pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stdout{Stdout: data}}
	if w.stderr {
		msg = &pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stderr{Stderr: data}}
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.server.Send(msg); err != nil {
		return 0, err
	}
	return len(p), nil
}

func (h *host) RunPlugin(req *pulumirpc.RunPluginRequest, server grpc.ServerStreamingServer[pulumirpc.RunPluginResponse]) error {
	if req.GetKind() != "analyzer" {
		return status.Errorf(codes.Unimplemented,
			"this language host (pulumi-aep-flow's own) runs only Node.js policy packs, not %q plugins", req.GetKind())
	}
	if req.GetAttachDebugger() {
		return status.Error(codes.Unimplemented, "this language host (pulumi-aep-flow's own) does not support attaching a debugger")
	}
	packDir := req.GetInfo().GetProgramDirectory()
	if packDir == "" {
		packDir = req.GetPwd()
	}
	ctx := server.Context()

	node, err := exec.LookPath("node")
	if err != nil {
		return fmt.Errorf("could not find node on the $PATH: %w", err)
	}
	// The pack's own @pulumi/pulumi starts it (as the official host does), so that the SDK the
	// pack's @pulumi/policy was installed with is the one that runs it.
	resolve := exec.CommandContext(ctx, node, "-e", "try { console.log(require.resolve('@pulumi/pulumi/cmd/run-policy-pack')) } "+
		"catch (e) { console.error(e.message.split('\\n')[0]); process.exit(1) }")
	resolve.Dir = packDir
	out, err := resolve.Output()
	if err != nil {
		why := err.Error()
		if exitErr, ok := err.(*exec.ExitError); ok && len(exitErr.Stderr) > 0 {
			why, _, _ = strings.Cut(strings.TrimSpace(string(exitErr.Stderr)), "\n")
		}
		// The engine recognises this sentence and tells the user to install the pack's dependencies.
		return fmt.Errorf("Cannot find module '@pulumi/pulumi/cmd/run-policy-pack' from %s: run `npm ci` there first (%s)", packDir, why)
	}
	runPolicyPack := strings.TrimSpace(string(out))

	opts := req.GetInfo().GetOptions().AsMap() // runtime.options from PulumiPolicy.yaml
	var args []string
	if nodeArgs, ok := opts["nodeargs"].(string); ok {
		args = append(args, strings.Fields(nodeArgs)...)
	}
	// The engine's arguments (its flags, then its address), then the pack: run-policy-pack takes
	// <engine-address> <program>.
	args = append(args, runPolicyPack)
	args = append(args, req.GetArgs()...)
	args = append(args, packDir)

	env := req.GetEnv()
	if len(env) == 0 {
		env = os.Environ()
	}
	if tsconfig, ok := opts["tsconfig"].(string); ok && tsconfig != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+tsconfig)
	}

	var mu sync.Mutex
	cmd := exec.Command(node, args...)
	cmd.Dir = packDir // policy packs have always run in their own directory
	cmd.Env = env
	cmd.Stdout = streamWriter{mu: &mu, server: server}
	cmd.Stderr = streamWriter{mu: &mu, server: server, stderr: true}
	cmd.WaitDelay = 5 * time.Second
	debugf("running policy pack: %s %s", node, strings.Join(args, " "))
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("could not start node: %w", err)
	}
	h.mu.Lock()
	h.running[cmd] = struct{}{}
	h.mu.Unlock()
	defer func() {
		h.mu.Lock()
		delete(h.running, cmd)
		h.mu.Unlock()
	}()
	// The engine stops the pack by ending this call: interrupt it, and kill it 5 s later.
	waited := make(chan struct{})
	defer close(waited)
	go func(ctx context.Context) {
		select {
		case <-waited:
		case <-ctx.Done():
			_ = cmd.Process.Signal(os.Interrupt)
			select {
			case <-waited:
			case <-time.After(5 * time.Second):
				_ = cmd.Process.Kill()
			}
		}
	}(ctx)

	err = cmd.Wait()
	code := int32(0)
	var exitErr *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exitErr):
		code = int32(exitErr.ExitCode())
	default:
		return fmt.Errorf("problem running the policy pack with node: %w", err)
	}
	mu.Lock()
	defer mu.Unlock()
	return server.Send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Exitcode{Exitcode: code}})
}
