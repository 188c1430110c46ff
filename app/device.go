package app

import "time"

// DeviceState is what the status bar says about a device.
type DeviceState struct {
	State   string // "connected", "disconnected", "error", "none"
	Message string // the device's own words, in English (logs)
	Key     string // what the officer reads when disconnected or in error: device.<reader|camera>.<state>
	Since   time.Time
}
