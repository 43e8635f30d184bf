package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

// globalOptions are the flags every command takes.
type globalOptions struct {
	Verbosity int
	Quiet     bool
	Wide      bool
	NoColor   bool
}

func (g *globalOptions) logger(s IOStreams) logger {
	return logger{w: s.ErrOut, verbosity: g.Verbosity, quiet: g.Quiet}
}

func newRootCommand(streams IOStreams) *cobra.Command {
	g := &globalOptions{}
	cmd := &cobra.Command{
		Use:   "trustpath",
		Short: "Find attack paths through Kubernetes",
		Long: `trustpath reads Kubernetes manifests (-f) or live clusters (the kubeconfig's
current context by default, or --context) into one typed graph of the
estate — clusters, nodes, namespaces, pod groups, containers, service
accounts, secrets, services — and the steps an attacker can take between
them, and renders it as a trust-boundary diagram.`,
		// NOTE: errors are printed once, by main, with a hint where one helps.
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	cmd.SetOut(streams.Out)
	cmd.SetErr(streams.ErrOut)
	cmd.SetIn(streams.In)
	// Flag help wraps to the terminal, or to the width tables fit.
	helpWidth := defaultWidth
	if w, ok := terminalWidth(streams.Out); ok {
		helpWidth = max(w, minWidth)
	}
	cmd.SetUsageTemplate(strings.NewReplacer(
		".LocalFlags.FlagUsages", fmt.Sprintf(".LocalFlags.FlagUsagesWrapped %d", helpWidth),
		".InheritedFlags.FlagUsages", fmt.Sprintf(".InheritedFlags.FlagUsagesWrapped %d", helpWidth),
	).Replace(cmd.UsageTemplate()))
	cmd.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return withHint(err, "see: "+c.CommandPath()+" --help")
	})
	pf := cmd.PersistentFlags()
	pf.CountVarP(&g.Verbosity, "verbose", "v", "more detail on stderr (-v lists skipped kinds, -vv every diagnostic)")
	pf.BoolVarP(&g.Quiet, "quiet", "q", false, "print nothing on stderr but errors")
	pf.BoolVar(&g.Wide, "wide", false, "print tables at full width, one row per line, for grep and cut (default: fit the terminal, or 100 columns when not a terminal)")
	pf.BoolVar(&g.NoColor, "no-color", false, "never colour output (also: NO_COLOR set; colour is only ever used on a terminal)")
	cmd.AddCommand(
		newGraphCommand(streams, g),
		newFlowsCommand(streams, g),
		newAnalyzeCommand(streams, g),
		newReportCommand(streams, g),
		newDiffCommand(streams, g),
		newExportCommand(streams, g),
		newReachCommand(streams, g),
		newPathsCommand(streams, g),
		newBlastCommand(streams, g),
		newExposureCommand(streams, g),
		newCanCommand(streams, g),
		newWhoCanCommand(streams, g),
		newDemoCommand(streams, g),
		newSnapshotCommand(streams, g),
		newAccessCheckCommand(streams, g),
		newGenerateCommand(streams, g),
		newVersionCommand(streams),
	)
	return cmd
}
