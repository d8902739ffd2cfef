// Package common holds what the screen (package ui) and the tamper lab
// (package ui/lab) both draw and run with, in the manner of soft-serve's
// pkg/ui/common: the styles (one renderer, adaptive colours, NO_COLOR),
// the framed boxes and overlays, the number and text formatting that keeps
// every line inside its cell budget, the one-line text inputs, the shared
// layout constants, small key-help helpers, and the Miner/Search seam with
// the SearchSet that lets the screen stop every search on the way out.
//
// It knows Bubble Tea's components (bubbles, lipgloss) but no model of its
// own, and imports nothing of blockscope above miner and blockchain.
//
// It stays at blockscope/ui/common rather than internal/: the module has a
// single binary and no importers outside it, so internal/ would protect
// nothing the module layout does not already, and moving packages while
// others work on ui would cost more than it buys.
package common
