package main

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/trustpath/trustpath/graph"
)

// version is set at link time: -ldflags "-X main.version=v1.2.3".
var version = ""

func newVersionCommand(streams IOStreams) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the trustpath version",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			v := version
			if v == "" {
				v = "(devel)"
				if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" {
					v = info.Main.Version
				}
			}
			_, err := fmt.Fprintf(streams.Out, "trustpath %s %s graph-schema %s\n", v, runtime.Version(), graph.SchemaVersion)
			return err
		},
	}
}
