package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"strings"
)

// version is the release's version, stamped by the release build with
// -ldflags "-X main.version=v1.2.3". It is empty in any other build, which
// then reports "(devel)" and the commit it was built from.
var version = ""

// commit and commitDate are the commit a release is built from and its
// time (RFC 3339), stamped beside version. They stand in for the build
// info's vcs.revision and vcs.time, which a build records only from a
// checkout and only while -buildvcs is not false.
var (
	commit     = ""
	commitDate = ""
)

// buildInfo is what `blockscope version` reports.
type buildInfo struct {
	Version  string // the release version, or "(devel)"
	Revision string // the VCS commit, "" when the build did not record one
	Time     string // the commit's time (RFC 3339), "" when unknown
	Modified bool   // the working tree had uncommitted changes
	Go       string // the Go toolchain, e.g. go1.26.8
	Platform string // GOOS/GOARCH
}

// readBuildInfo gathers the build's identity from the stamped version and
// runtime/debug.ReadBuildInfo. go build and go install in a checkout record
// the commit; since Go 1.24 they also derive a pseudo-version from it
// (v0.0.0-date-commit), which is reported as "(devel)": it says no more than
// the revision does, and it is not a release.
func readBuildInfo() buildInfo {
	bi := buildInfo{Version: version, Revision: commit, Time: commitDate, Go: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	info, ok := debug.ReadBuildInfo()
	if ok {
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				bi.Revision = s.Value
			case "vcs.time":
				bi.Time = s.Value
			case "vcs.modified":
				bi.Modified = s.Value == "true"
			}
		}
		if bi.Version == "" && isRelease(info.Main.Version) {
			// go install module@v1.2.3 builds from the module cache,
			// without VCS information but with the version.
			bi.Version = info.Main.Version
		}
	}
	if bi.Version == "" {
		bi.Version = "(devel)"
	}
	return bi
}

// isRelease says whether v, a main module's version from the build info,
// names a release rather than a build from a checkout.
func isRelease(v string) bool {
	if v == "" || v == "(devel)" || strings.HasSuffix(v, "+dirty") {
		return false
	}
	// Pseudo-versions end in -yyyymmddhhmmss-abcdefabcdef.
	parts := strings.Split(v, "-")
	return len(parts) < 3 || len(parts[len(parts)-1]) != 12 || len(strings.TrimLeft(parts[len(parts)-2], "0123456789.")) != 0
}

// String formats the build info as one line, e.g.
// "blockscope v1.2.3 (commit 0123abcd..., 2026-11-30T21:50:00Z) go1.26.8 linux/amd64".
func (bi buildInfo) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "blockscope %s (", bi.Version)
	if bi.Revision == "" {
		b.WriteString("no commit recorded")
	} else {
		b.WriteString("commit " + bi.Revision)
		if bi.Modified {
			b.WriteString(" with uncommitted changes")
		}
		if bi.Time != "" {
			b.WriteString(", " + bi.Time)
		}
	}
	fmt.Fprintf(&b, ") %s %s", bi.Go, bi.Platform)
	return b.String()
}

// runVersion is `blockscope version` and `blockscope --version`.
func runVersion(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("version")
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "Usage: blockscope version\n\nPrints the version (\"(devel)\" when not a release), the commit it was built from, the Go version and the platform.\n")
	}
	if code, ok := parseCommandFlags(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "blockscope version: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	fmt.Fprintln(stdout, readBuildInfo())
	return 0
}
