package app

import "time"

// DeviceState is what the status bar says about a device.
type DeviceState struct {
	State   string // "connected", "disconnected", "error", "none"
	Message string
	Since   time.Time
}
