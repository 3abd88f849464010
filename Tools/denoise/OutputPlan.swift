import Audio
import Foundation

/// A problem the command reports in one line and exits on, before or while denoising.
struct CommandError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}

/// One input file and where its result goes.
struct PlannedFile: Sendable {
  let input: String
  let output: String
  let format: AudioFile.Format
}

/// The output formats, by file extension.
let outputFormats: [String: AudioFile.Format] = ["wav": .pcm16, "flac": .flac, "ogg": .ogg]

/// Where each input's result goes: `-o FILE` for one input (or into `-o FOLDER` when it is an
/// existing folder), `-o FOLDER/name` for several. Refuses, before anything is written, an
/// output that is one of the inputs, two inputs with the same output, an unknown output
/// format, and an output folder that is missing or not writable. The work grows with the
/// number of inputs, not its square: an archive's list may hold many thousands.
func plannedFiles(inputs: [String], output: String) throws(CommandError) -> [PlannedFile] {
  let manager = FileManager.default
  var isDirectory: ObjCBool = false
  let outputIsFolder =
    manager.fileExists(atPath: output, isDirectory: &isDirectory)
    && isDirectory.boolValue
  if inputs.count > 1 && !outputIsFolder {
    throw CommandError(
      "\(output): several inputs need -o to name an existing folder, and it is not one")
  }
  var jobs: [PlannedFile] = []
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
    jobs.append(PlannedFile(input: input, output: path, format: format))
  }
  var names = FileNames()
  var inputNames: [FileName: String] = [:]
  for input in inputs {
    for name in names.of(input) where inputNames[name] == nil { inputNames[name] = input }
  }
  var outputNames: [FileName: String] = [:]
  var checkedFolders: Set<String> = []
  for job in jobs {
    let outputNamesOfJob = names.of(job.output)
    for name in outputNamesOfJob {
      if let other = outputNames[name] {
        throw CommandError(
          "\(job.output): both \(other) and \(job.input) would be written there")
      }
      if let input = inputNames[name] {
        throw CommandError(
          "\(job.output): is the input \(input); refusing to overwrite an input")
      }
    }
    for name in outputNamesOfJob { outputNames[name] = job.input }
    let folder = (job.output as NSString).deletingLastPathComponent
    if checkedFolders.insert(folder).inserted { try checkWritableFolder(of: job.output) }
    try checkNotAFolder(job.output)
  }
  return jobs
}

/// What identifies a file: its resolved path, or (when it exists) its device and inode,
/// which also catches hard links.
enum FileName: Hashable {
  case path(String)
  case inode(dev: UInt64, ino: UInt64)
}

/// The names of files, with the resolution of each folder done once.
struct FileNames {
  private var folders: [String: String] = [:]

  /// The resolved path of `path` and, when it exists, its device and inode.
  mutating func of(_ path: String) -> [FileName] {
    let url = URL(fileURLWithPath: path).standardizedFileURL
    let folderPath = url.deletingLastPathComponent().path
    let folder =
      folders[folderPath]
      ?? {
        let resolved = URL(fileURLWithPath: folderPath).resolvingSymlinksInPath().path
        folders[folderPath] = resolved
        return resolved
      }()
    var names = [FileName.path((folder as NSString).appendingPathComponent(url.lastPathComponent))]
    var info = stat()
    if stat(path, &info) == 0 {
      names.append(.inode(dev: UInt64(info.st_dev), ino: UInt64(info.st_ino)))
    }
    return names
  }
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
}

/// Throws when `path` is an existing folder.
private func checkNotAFolder(_ path: String) throws(CommandError) {
  var isDirectory: ObjCBool = false
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
