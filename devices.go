package main

import (
	"context"

	"github.com/chekara/chekara/app"
	"github.com/chekara/chekara/booth"
	"github.com/chekara/chekara/devices/reader"
)

// The booth's devices are those its post-admin saved on the administration
// screen (DATA/devices.json, booth.LoadDevices) once any were saved; until
// then, the command line's (--reader-*, --camera), which the screen shows as
// the current settings. A reader saved there is applied at once: the running
// one stops and the new one starts, feeding the same worker; a camera is
// opened at the next start.

// savedDevices puts the saved settings, when there are, in place of the
// command line's, and tells the administration what the booth starts with.
func (m *Main) savedDevices() error {
	c := &m.cfg
	if booth.DevicesSaved(c.DataDir) {
		d, err := booth.LoadDevices(c.DataDir)
		if err != nil {
			return err
		}
		if c.ReaderPort != d.ReaderPort || c.Camera != d.Camera {
			m.log.Info("devices saved on the administration screen replace the command line's", "reader", d.ReaderPort, "camera", d.Camera)
		}
		c.ReaderPort, c.ReaderProtocol, c.ReaderBaud, c.Camera = d.ReaderPort, d.ReaderProtocol, d.ReaderBaud, d.Camera
	}
	started := app.DeviceSettings{Camera: c.Camera}
	if c.ReaderPort != "" {
		started.ReaderPort, started.ReaderProtocol, started.ReaderBaud = c.ReaderPort, c.ReaderProtocol, c.ReaderBaud
	}
	m.booth.Admin.SetStarted(started)
	return nil
}

// newReader builds the serial reader of the settings; nil for none.
func newReader(port, protocol string, baud int) (app.DocumentSource, error) {
	if port == "" {
		return nil, nil
	}
	r, err := reader.New(reader.Config{Protocol: reader.Protocol{Name: protocol}, Serial: reader.Serial{Port: port, Baud: baud}})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// startReader runs src (nil: none) until the booth closes or the next
// applyDevices, handing its events to the presenting worker.
func (m *Main) startReader(src app.DocumentSource) {
	m.readerMu.Lock()
	defer m.readerMu.Unlock()
	if m.readerStop != nil {
		m.readerStop()
		<-m.readerDone
		m.readerStop, m.readerDone = nil, nil
	}
	m.source = src
	if src == nil || m.ctx.Err() != nil {
		return
	}
	ctx, cancel := context.WithCancel(m.ctx)
	done := make(chan struct{})
	m.readerStop, m.readerDone = cancel, done
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		defer close(done)
		err := src.Run(ctx, m.deliver)
		if err != nil && ctx.Err() == nil {
			m.log.Error("reader stopped", "err", err)
		}
	}()
}

// applyDevices puts the reader the post-admin saved to work (the demo keeps
// its simulated reader: the settings are for the real booth).
func (m *Main) applyDevices(d app.DeviceSettings) {
	if m.cfg.Demo {
		m.log.Info("demo: device settings saved, the simulated reader stays", "port", d.ReaderPort)
		return
	}
	src, err := newReader(d.ReaderPort, d.ReaderProtocol, d.ReaderBaud)
	if err != nil { // booth.CheckDevices passed them: not expected
		m.log.Error("saved reader settings", "err", err)
		return
	}
	m.startReader(src)
	if d.Camera != m.cfg.Camera {
		m.log.Info("camera settings saved; the camera changes at the next start", "camera", d.Camera)
	}
}
