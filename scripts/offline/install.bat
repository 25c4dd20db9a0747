@echo off
rem pilotguide offline install (Windows). Usage: install.bat FOLDER
rem The work is done by install.ps1 beside this file (its messages are in Chinese).
setlocal
powershell -NoProfile -ExecutionPolicy Bypass -File "%~dp0install.ps1" %*
set "CODE=%ERRORLEVEL%"
rem Opened by a double click (no folder given): keep the window open to read the messages.
if "%~1"=="" pause
exit /b %CODE%
