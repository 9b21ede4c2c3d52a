// Command pulumi-language-nodejs is this repository's own, minimal Node.js language host for the
// Pulumi engine. The official host cannot be built from the Go module proxy this project can reach
// (its module is refused at every version), so scripts/ensure-pulumi.sh builds this one instead.
//
// It does only what plain `runtime: nodejs` programs need for preview, up, refresh, destroy, stack
// export and the Automation API: it starts `node` on @pulumi/pulumi's own run harness
// (@pulumi/pulumi/cmd/run, resolved from the program directory), which does the real work of
// talking to the engine's resource monitor. It reports no required plugins (dynamic providers need
// none: the engine finds pulumi-resource-pulumi-nodejs on PATH), installs nothing, and leaves
// code generation, packing and linking unimplemented. Of plugin hosting it offers one kind: Node.js
// policy packs (policy.go), which the engine starts through the language host.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"
)

// version is reported by GetPluginInfo and -version; ensure-pulumi.sh sets it with
// -ldflags "-X main.version=...". The engine parses it as semver.
var version = "0.0.0-dev"

// The harness exits with this code after it has itself reported the program's error to the engine
// (see nodeJSProcessExitedAfterLoggingUserActionableMessage in @pulumi/pulumi/cmd/run); we then
// answer Bail so that the engine prints nothing more.
const exitCodeErrorAlreadyReported = 32

// Same limit as the engine's own gRPC servers: a RunRequest carries the whole stack config.
const maxMessageSize = 400 * 1024 * 1024

var verbose = false // -v=N with N >= 5 and --logtostderr (the engine's --logflow): log to stderr

func debugf(format string, args ...any) {
	if verbose {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: "+format+"\n", args...)
	}
}

func main() {
	engineAddress, showVersion := parseArgs(os.Args[1:])
	if showVersion {
		fmt.Println(version)
		return
	}

	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: cannot listen: %v\n", err)
		os.Exit(1)
	}
	srv := grpc.NewServer(grpc.MaxRecvMsgSize(maxMessageSize), grpc.MaxSendMsgSize(maxMessageSize))
	h := &host{engineAddress: engineAddress, running: map[*exec.Cmd]struct{}{}}
	pulumirpc.RegisterLanguageRuntimeServer(srv, h)

	// The engine waits for exactly one line on stdout: the port. Everything after that on stdout
	// (the program's own output) is shown to the user.
	fmt.Printf("%d\n", lis.Addr().(*net.TCPAddr).Port)

	// The engine stops plugins with SIGINT to their process group (then SIGKILL after 5 s). Stop
	// the running programs (they got the same SIGINT) and the server, then exit.
	stop := make(chan struct{})
	var once sync.Once
	shutdown := func() { once.Do(func() { close(stop) }) }
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() { <-sigs; shutdown() }()
	if engineAddress != "" {
		go watchEngine(engineAddress, stop, shutdown)
	}
	go func() {
		<-stop
		h.interruptAll()
		done := make(chan struct{})
		go func() { srv.GracefulStop(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			srv.Stop()
		}
	}()

	if err := srv.Serve(lis); err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: %v\n", err)
		os.Exit(1)
	}
}

// parseArgs reads the engine's command line: optional flags (--logtostderr, -v=N, --tracing URL,
// and whatever a later engine adds), then the engine's address. It is lenient on purpose: an
// unknown flag must not stop the host, as the flag package would.
func parseArgs(args []string) (engineAddress string, showVersion bool) {
	takesValue := map[string]bool{"tracing": true, "runtime": true, "root": true, "v": true}
	logToStderr, level := false, 0
	for i := 0; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "-") || a == "-" {
			if engineAddress == "" {
				engineAddress = a
			}
			continue
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !hasValue && takesValue[name] && i+1 < len(args) {
			i++
			value = args[i]
		}
		switch name {
		case "version":
			showVersion = true
		case "logtostderr":
			logToStderr = true
		case "v":
			fmt.Sscan(value, &level)
		}
	}
	verbose = logToStderr && level >= 5
	return engineAddress, showVersion
}

// watchEngine exits the host when the engine that started it is gone (e.g. killed with SIGKILL,
// so it could not stop its plugins): it asks the engine's health service every 30 s. An engine
// without that service answers Unimplemented, which still proves it is alive.
func watchEngine(addr string, stop <-chan struct{}, shutdown func()) {
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return
	}
	defer conn.Close()
	client := healthpb.NewHealthClient(conn)
	for {
		select {
		case <-stop:
			return
		case <-time.After(30 * time.Second):
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		_, err := client.Check(ctx, &healthpb.HealthCheckRequest{})
		cancel()
		if err != nil && status.Code(err) != codes.Unimplemented {
			debugf("engine %s is gone (%v); exiting", addr, err)
			shutdown()
			return
		}
	}
}

type host struct {
	pulumirpc.UnimplementedLanguageRuntimeServer

	mu            sync.Mutex
	engineAddress string
	running       map[*exec.Cmd]struct{} // programs being run, for Cancel and shutdown
}

// Handshake is only used when the engine attaches to an already running host
// (PULUMI_DEBUG_LANGUAGES); it tells us the engine's address.
func (h *host) Handshake(ctx context.Context, req *pulumirpc.LanguageHandshakeRequest) (*pulumirpc.LanguageHandshakeResponse, error) {
	h.mu.Lock()
	h.engineAddress = req.GetEngineAddress()
	h.mu.Unlock()
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *host) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version}, nil
}

// Plugins to install before a run: none. The only plugin our programs use is the dynamic
// provider, which the engine finds on PATH (no download, no version to report).
func (h *host) GetRequiredPlugins(context.Context, *pulumirpc.GetRequiredPluginsRequest) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return &pulumirpc.GetRequiredPluginsResponse{}, nil
}

func (h *host) GetRequiredPackages(context.Context, *pulumirpc.GetRequiredPackagesRequest) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{}, nil
}

// InstallDependencies (pulumi install, LocalWorkspace.install) does nothing: installing
// node_modules is left to npm, run by the user or the test harness.
func (h *host) InstallDependencies(*pulumirpc.InstallDependenciesRequest, grpc.ServerStreamingServer[pulumirpc.InstallDependenciesResponse]) error {
	return nil
}

// No questions to ask for `pulumi new`.
func (h *host) RuntimeOptionsPrompts(context.Context, *pulumirpc.RuntimeOptionsRequest) (*pulumirpc.RuntimeOptionsResponse, error) {
	return &pulumirpc.RuntimeOptionsResponse{}, nil
}

// About (pulumi about, and the update metadata) reports the node found on PATH.
func (h *host) About(ctx context.Context, _ *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	resp := &pulumirpc.AboutResponse{Metadata: map[string]string{"packagemanager": "npm"}}
	if node, err := exec.LookPath("node"); err == nil {
		resp.Executable = node
		if out, err := exec.CommandContext(ctx, node, "--version").Output(); err == nil {
			resp.Version = strings.TrimSpace(string(out))
		}
	}
	return resp, nil
}

// GetProgramDependencies lists the program's direct dependencies from package.json, with the
// version installed in its node_modules when there is one (the declared range otherwise).
func (h *host) GetProgramDependencies(_ context.Context, req *pulumirpc.GetProgramDependenciesRequest) (*pulumirpc.GetProgramDependenciesResponse, error) {
	dir := req.GetInfo().GetProgramDirectory()
	if dir == "" {
		dir = req.GetPwd() //nolint:staticcheck // older engines send only this
	}
	var pkg struct{ Dependencies, DevDependencies map[string]string }
	if data, err := os.ReadFile(filepath.Join(dir, "package.json")); err == nil {
		_ = json.Unmarshal(data, &pkg)
	}
	all := map[string]string{}
	for _, deps := range []map[string]string{pkg.DevDependencies, pkg.Dependencies} {
		for name, wanted := range deps {
			all[name] = wanted
			var installed struct{ Version string }
			if data, err := os.ReadFile(filepath.Join(dir, "node_modules", name, "package.json")); err == nil &&
				json.Unmarshal(data, &installed) == nil && installed.Version != "" {
				all[name] = installed.Version
			}
		}
	}
	resp := &pulumirpc.GetProgramDependenciesResponse{}
	for name, v := range all {
		resp.Dependencies = append(resp.Dependencies, &pulumirpc.DependencyInfo{Name: name, Version: v})
	}
	sort.Slice(resp.Dependencies, func(i, j int) bool { return resp.Dependencies[i].Name < resp.Dependencies[j].Name })
	return resp, nil
}

// Cancel (the user pressed Ctrl-C) interrupts the running programs; their Run calls then return.
func (h *host) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	h.interruptAll()
	return &emptypb.Empty{}, nil
}

func (h *host) interruptAll() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for cmd := range h.running {
		_ = cmd.Process.Signal(os.Interrupt)
	}
}

// Run runs the program once: node <harness> <flags> <entry point> <args>, and waits for it. The
// harness connects to the engine's resource monitor itself; program failures are answered in
// RunResponse.Error (a gRPC error would mean the host itself failed).
func (h *host) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	info := req.GetInfo()
	programDir, entryPoint := info.GetProgramDirectory(), info.GetEntryPoint()
	if programDir == "" {
		programDir = req.GetPwd()
	}
	if entryPoint == "" {
		entryPoint = "."
	}
	if req.GetAttachDebugger() {
		return &pulumirpc.RunResponse{Error: "this language host (pulumi-aep-flow's own) does not support attaching a debugger"}, nil
	}

	node, err := exec.LookPath("node")
	if err != nil {
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("could not find node on the $PATH: %v", err)}, nil
	}
	// Resolve the harness the way the program's own require() would, so that the @pulumi/pulumi
	// the program uses is the one that runs it (node_modules may sit in a parent directory).
	resolve := exec.CommandContext(ctx, node, "-e", "try { console.log(require.resolve('@pulumi/pulumi/cmd/run')) } "+
		"catch (e) { console.error(e.message.split('\\n')[0]); process.exit(1) }")
	resolve.Dir = programDir
	out, err := resolve.Output()
	if err != nil {
		why := err.Error()
		if exitErr, ok := err.(*exec.ExitError); ok && len(exitErr.Stderr) > 0 {
			why, _, _ = strings.Cut(strings.TrimSpace(string(exitErr.Stderr)), "\n")
		}
		return &pulumirpc.RunResponse{Error: fmt.Sprintf(
			"could not find @pulumi/pulumi from %s: run `npm install` there first (%s)", programDir, why)}, nil
	}
	harness := strings.TrimSpace(string(out))

	opts := info.GetOptions().AsMap() // runtime.options from Pulumi.yaml
	var args []string
	if nodeArgs, ok := opts["nodeargs"].(string); ok {
		args = append(args, strings.Fields(nodeArgs)...) // no shell quoting: keep node args simple
	}
	args = append(args, harness, "--monitor", req.GetMonitorAddress())
	h.mu.Lock()
	engineAddress := h.engineAddress
	h.mu.Unlock()
	for _, f := range [][2]string{
		{"engine", engineAddress},
		{"organization", req.GetOrganization()},
		{"project", req.GetProject()},
		{"root-directory", info.GetRootDirectory()},
		{"stack", req.GetStack()},
		{"pwd", programDir},
		{"parallel", fmt.Sprint(req.GetParallel())},
	} {
		if f[1] != "" {
			args = append(args, "--"+f[0], f[1])
		}
	}
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	args = append(args, entryPoint)
	args = append(args, req.GetArgs()...)

	// Config travels in the environment, as JSON: {"<namespace>:<key>": "<value>"} and the list
	// of keys that are secrets. (The SDK also accepts the older "<ns>:config:<key>" spelling.)
	config, secretKeys := req.GetConfig(), req.GetConfigSecretKeys()
	if config == nil {
		config = map[string]string{}
	}
	if secretKeys == nil {
		secretKeys = []string{}
	}
	configJSON, _ := json.Marshal(config)
	secretKeysJSON, _ := json.Marshal(secretKeys)
	env := append(os.Environ(), "PULUMI_CONFIG="+string(configJSON), "PULUMI_CONFIG_SECRET_KEYS="+string(secretKeysJSON))
	// TypeScript: the harness registers ts-node itself (its own or a vendored copy) when asked;
	// like the official host, ask unless Pulumi.yaml sets runtime.options.typescript: false.
	if ts, ok := opts["typescript"].(bool); !ok || ts {
		env = append(env, "PULUMI_NODEJS_TYPESCRIPT=true")
	}
	if tsconfig, ok := opts["tsconfig"].(string); ok && tsconfig != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+tsconfig)
	}

	cmd := exec.Command(node, args...)
	cmd.Dir = programDir
	cmd.Env = env
	// Writers that are not *os.File make exec copy through pipes: node may switch the file
	// descriptors it is given to non-blocking mode, which must not happen to our own stdout (the
	// engine reads it). Wait returns only after the copies are complete, so no output is lost.
	cmd.Stdout = struct{ io.Writer }{os.Stdout}
	cmd.Stderr = struct{ io.Writer }{os.Stderr}
	cmd.WaitDelay = 5 * time.Second
	debugf("running %s %s", node, strings.Join(args, " "))
	if err := cmd.Start(); err != nil {
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("could not start node: %v", err)}, nil
	}
	h.mu.Lock()
	h.running[cmd] = struct{}{}
	h.mu.Unlock()
	defer func() {
		h.mu.Lock()
		delete(h.running, cmd)
		h.mu.Unlock()
	}()
	// If the engine gives up on this call, interrupt the program (node's default SIGINT handling
	// exits at once), and kill it if it is still there 5 s later.
	waited := make(chan struct{})
	defer close(waited)
	go func() {
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
	}()

	err = cmd.Wait()
	var exitErr *exec.ExitError
	switch {
	case err == nil:
		return &pulumirpc.RunResponse{}, nil
	case errors.As(err, &exitErr) && exitErr.ExitCode() == exitCodeErrorAlreadyReported:
		return &pulumirpc.RunResponse{Bail: true}, nil
	case errors.As(err, &exitErr) && exitErr.ExitCode() > 0:
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited with non-zero exit code: %d", exitErr.ExitCode())}, nil
	case errors.As(err, &exitErr):
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program was stopped: %v", exitErr)}, nil
	default:
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("Problem running the program with node: %v", err)}, nil
	}
}
