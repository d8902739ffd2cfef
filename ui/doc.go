// Package ui is blockscope's terminal screen, a Bubble Tea model: the
// pending transactions, the chain (newest first, virtualised), the live
// nonce search, the transaction form, the block inspector, the chain filter,
// the network view and, full-screen, the tamper lab (package ui/lab).
//
// # Modes
//
// What has the keyboard is a mode (modes.go): the panes (modeBrowse) are
// always at the bottom of a short stack, and each mode above was opened
// from the one below and returns to it when closed: the filter line, the
// form, the inspector, help (over the panes or the inspector), the network
// view, the lab (over the panes or the inspector). modes.go is the one
// place that decides, for the active mode, where a key goes (handleKey),
// what the help bar lists (helpBar) and what View draws (the mouse goes
// the same way, in mouse.go's handleMouse); the key handlers there are the only code that opens a
// mode, so a combination no key leads to cannot be built.
//
// # Layout
//
// newLayout (layout.go) computes every part's rectangle from the window
// and the pace (which sets the mining pane's height); relayout hands each
// component its size (SetSize), after a resize, a pace change or a pane
// opened. Components keep their size and draw into it, as bubbles' and
// soft-serve's do, so a selection is clamped to the rows a pane really has.
//
// # Who owns what
//
//   - Model (model.go) routes: it owns the mode stack, the layout, the focus,
//     the status line and the components, and keeps no state of theirs.
//   - mineControl (mining.go) owns the search: its settings (target, pace,
//     auto), its life (generation, template version, the block asked for,
//     transactions on their way to the disk) and the mining pane it embeds.
//     It reports what the screen should show as mineNews.
//   - The panes own their selection and scroll; chainPane reads the few
//     visible blocks from the chain when it draws.
//   - The lab owns its sandbox; its searches join the screen's SearchSet
//     and context, so Close stops every search the screen or the lab
//     started.
//   - Styles, frames, formatting, inputs and the Miner/Search seam are
//     shared with the lab through package ui/common.
//
// # From a key to a stored block
//
// m reaches Update as a tea.KeyMsg; handleKey gives it to the active mode's
// handler (browseKey, then mineKey), which calls mineControl.Toggle. The
// controller starts a generation and returns startSearch, a command that
// builds the template from the pool and starts the miner off the Update
// path; its searchStartedMsg comes back to Update, which routes it (with
// minerEventMsg and blockStoredMsg) to mineControl.Update. Progress events
// arrive one at a time through waitSearch, re-armed after each. On
// miner.Found the controller stops the search and returns storeBlock, whose
// blockStoredMsg it turns into news: the status line, the lesson's record,
// the announcement to the peers, and a re-read of the chain that may start
// the next search (auto-mine).
//
// The model never blocks: disk writes, template building, starting and
// stopping searches and filter scans run in commands, and the miner's
// events, the chain's changes and the node's events each arrive through one
// command re-armed after every message.
//
// The packages stay at blockscope/ui, ui/common and ui/lab rather than under
// internal/: the module builds one program and nothing outside imports it,
// so internal/ would guard nothing the module does not already, and moving
// packages while others build on them costs more than it buys.
package ui
