package common

// WideWidth is the window width from which the help bar names every key
// and the lab's chain lists every column; below it both shorten.
const WideWidth = 96

// The smallest screen the layout is drawn for; below it the screen says so.
const (
	MinWidth  = 80
	MinHeight = 24
)
