package main

import (
	"cmp"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/pflag"
)

// outputOptions is the -o flag every command shares: a format name writes
// that format to stdout (-o json), anything else names a file whose
// extension gives the format (-o estate.svg); --format overrides the
// extension.
type outputOptions struct {
	Output string
	Format string
}

func (o *outputOptions) addFlags(f *pflag.FlagSet, formats []string) {
	list := strings.Join(formats, "|")
	f.StringVarP(&o.Output, "output", "o", "", "format to print ("+list+") or file to write, e.g. estate.svg (default: "+formats[0]+" on stdout)")
	f.StringVar(&o.Format, "format", "", "output format when -o names a file without a telling extension: "+list)
}

// resolve returns the format and the file to write ("" for stdout), given
// the formats the command writes; the first is the default.
func (o *outputOptions) resolve(formats []string) (format, file string, err error) {
	format, file = o.Format, o.Output
	if slices.Contains(formats, o.Output) || o.Output == "-" {
		format, file = cmp.Or(o.Format, o.Output), ""
	}
	if format == "" || format == "-" {
		format = formats[0]
		if ext := strings.TrimPrefix(filepath.Ext(file), "."); ext != "" {
			format = ext
		}
	}
	if !slices.Contains(formats, format) {
		return "", "", withHint(fmt.Errorf("unknown output format %q", format),
			"use -o or --format with one of: "+strings.Join(formats, ", "))
	}
	return format, file, nil
}
