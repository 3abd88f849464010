import Audio
import Foundation

/// A problem the command reports in one line and exits on, before or while denoising.
struct CommandError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}

/// One input file and where its result goes.
struct Job {
  let input: String
  let output: String
  let format: AudioFile.Format
}

/// The output formats, by file extension.
let outputFormats: [String: AudioFile.Format] = ["wav": .pcm16, "flac": .flac, "ogg": .ogg]

/// Where each input's result goes: `-o FILE` for one input (or into `-o FOLDER` when it is an
/// existing folder), `-o FOLDER/name` for several. Refuses, before anything is written, an
/// output that is one of the inputs, two inputs with the same output, an unknown output
/// format, and an output folder that is missing or not writable.
func plannedJobs(inputs: [String], output: String) throws(CommandError) -> [Job] {
  let manager = FileManager.default
  var isDirectory: ObjCBool = false
  let outputIsFolder =
    manager.fileExists(atPath: output, isDirectory: &isDirectory)
    && isDirectory.boolValue
  if inputs.count > 1 && !outputIsFolder {
    throw CommandError(
      "\(output): several inputs need -o to name an existing folder, and it is not one")
  }
  var jobs: [Job] = []
  for input in inputs {
    let path: String
    if outputIsFolder {
      let name = URL(fileURLWithPath: input).deletingPathExtension().lastPathComponent
      let ext = URL(fileURLWithPath: input).pathExtension.lowercased()
      path = (output as NSString).appendingPathComponent(
        name + "." + (outputFormats[ext] == nil ? "wav" : ext))
    } else {
      path = output
    }
    let ext = URL(fileURLWithPath: path).pathExtension.lowercased()
    guard let format = outputFormats[ext] else {
      throw CommandError(
        "\(path): unknown output format '.\(ext)'; name the output .wav, .flac or .ogg")
    }
    jobs.append(Job(input: input, output: path, format: format))
  }
  for (i, job) in jobs.enumerated() {
    for other in jobs[..<i] where sameFile(other.output, job.output) {
      throw CommandError(
        "\(job.output): both \(other.input) and \(job.input) would be written there")
    }
    for input in inputs where sameFile(input, job.output) {
      throw CommandError(
        "\(job.output): is the input \(input); refusing to overwrite an input")
    }
    try checkWritableFolder(of: job.output)
  }
  return jobs
}

/// Whether two paths name the same file: the same resolved path, or (when both exist) the
/// same device and inode, which also catches hard links.
func sameFile(_ a: String, _ b: String) -> Bool {
  if resolved(a) == resolved(b) { return true }
  var sa = stat()
  var sb = stat()
  guard stat(a, &sa) == 0, stat(b, &sb) == 0 else { return false }
  return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino
}

/// The absolute path with symbolic links of its folder resolved, and `.` and `..` removed.
private func resolved(_ path: String) -> String {
  let url = URL(fileURLWithPath: path).standardizedFileURL
  let folder = url.deletingLastPathComponent().resolvingSymlinksInPath()
  return folder.appendingPathComponent(url.lastPathComponent).path
}

/// Throws unless the folder of `path` exists, is a folder and can take a new file.
private func checkWritableFolder(of path: String) throws(CommandError) {
  // The folder as the user wrote it (relative stays relative), "." for a bare name.
  let parent = (path as NSString).deletingLastPathComponent
  let folder = parent.isEmpty ? "." : parent
  var isDirectory: ObjCBool = false
  guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) else {
    throw CommandError("\(path): cannot write, the folder \(folder) does not exist")
  }
  guard isDirectory.boolValue else {
    throw CommandError("\(path): cannot write, \(folder) is a file, not a folder")
  }
  guard access(folder, W_OK) == 0 else {
    throw CommandError("\(path): cannot write, the folder \(folder) is not writable")
  }
  if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory),
    isDirectory.boolValue
  {
    throw CommandError("\(path): cannot write, it is a folder")
  }
}

/// Throws unless `folder` exists, is a folder and can take new files.
func checkSnapshotFolder(_ folder: String) throws(CommandError) {
  var isDirectory: ObjCBool = false
  guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory),
    isDirectory.boolValue
  else {
    throw CommandError("--snapshots \(folder): not an existing folder")
  }
  guard access(folder, W_OK) == 0 else {
    throw CommandError("--snapshots \(folder): the folder is not writable")
  }
}
